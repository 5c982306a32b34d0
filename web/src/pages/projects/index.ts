import { consolePaths } from "../../../../src/http/console-links";
import type { ConsoleArea } from "../../area";

/** 路长制: my projects, a project's append-only service log and its problems; write a log; raise a problem. */
export const area: ConsoleArea = {
  routes: [
    { path: consolePaths.projects, component: () => import("./ProjectListPage.vue"), meta: { title: "projects.list.title" } },
    { path: consolePaths.project, component: () => import("./ProjectPage.vue"), meta: { title: "projects.detail.title" } },
    { path: `${consolePaths.project}/logs/new`, component: () => import("./LogFormPage.vue"), meta: { title: "projects.log.title" } },
    { path: `${consolePaths.project}/problems/new`, component: () => import("./RaiseProblemPage.vue"), meta: { title: "projects.raise.title" } },
  ],
  tabs: [{ to: consolePaths.projects, icon: "guide-o", label: "projects.tab", order: 40 }],
  messages: { key: "projects", load: () => import("./messages"), shell: { "zh-CN": { tab: "项目" }, en: { tab: "Projects" } }, uses: ["field", "problems"] },
};
