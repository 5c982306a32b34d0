import type { ConsoleArea } from "../../area";
import { consolePaths } from "../../../../src/http/console-links";

/** 在线考试: papers and their rankings for everyone; the bank, the paper editor and statistics for admins; the timed attempt full screen. */
export const area: ConsoleArea = {
  routes: [
    { path: "/exams", component: () => import("./ExamListPage.vue"), meta: { title: "exams.title" } },
    { path: "/exams/bank", component: () => import("./BankPage.vue"), meta: { title: "exams.bank", roles: ["admin"] } },
    { path: "/exams/new", component: () => import("./PaperEditorPage.vue"), meta: { title: "exams.editor.title", roles: ["admin", "secretary"] } },
    { path: consolePaths.exam, component: () => import("./PaperPage.vue"), meta: { title: "exams.title" } },
    { path: "/exams/:id/results", component: () => import("./ResultsPage.vue"), meta: { title: "exams.results" } },
  ],
  bareRoutes: [{ path: "/exams/attempts/:id", component: () => import("./AttemptPage.vue"), meta: { title: "exams.title" } }],
  // In 更多 (the bar holds five); papers waiting for me are also on 我的待办.
  tabs: [{ to: "/exams", icon: "edit", label: "exams.tab", order: 45 }],
  messages: { key: "exams", load: () => import("./messages"), shell: { "zh-CN": { tab: "在线考试" }, en: { tab: "Exams" } } },
};
