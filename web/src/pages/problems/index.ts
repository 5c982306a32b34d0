import { consolePaths } from "../../../../src/http/console-links";
import type { ConsoleArea } from "../../area";

/** 吹哨报到: the problems I handle, follow, supervise or oversee as road chief, and one problem's steps. */
export const area: ConsoleArea = {
  routes: [
    { path: consolePaths.problems, component: () => import("./ProblemListPage.vue"), meta: { title: "problems.list.title" } },
    { path: consolePaths.problem, component: () => import("./ProblemPage.vue"), meta: { title: "problems.detail.title" } },
  ],
  tabs: [{ to: consolePaths.problems, icon: "bullhorn-o", label: "problems.tab", order: 30 }],
  messages: { key: "problems", load: () => import("./messages"), shell: { "zh-CN": { tab: "吹哨" }, en: { tab: "Problems" } }, uses: ["field"] },
};
