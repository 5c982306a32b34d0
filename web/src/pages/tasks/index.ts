import type { ConsoleArea } from "../../area";
import { api, ok } from "../../api";
import { consolePaths } from "../../../../src/http/console-links";
import { en, zhCN } from "./messages";
// The home page comes with the shell (code and words): a cold load shows it without a second round trip.
import TaskListPage from "./TaskListPage.vue";

/** 我的待办, a task with its records, and 待我审核 (secretaries and admins). */
export const area: ConsoleArea = {
  routes: [
    { path: consolePaths.home, component: TaskListPage, meta: { title: "tasks.list.title" } },
    { path: consolePaths.task, component: () => import("./TaskPage.vue"), meta: { title: "tasks.task.title" } },
    { path: consolePaths.reviews, component: () => import("./ReviewQueuePage.vue"), meta: { title: "tasks.review.title", roles: ["secretary", "admin"] } },
  ],
  tabs: [
    { to: consolePaths.home, icon: "todo-list-o", label: "tabs.tasks", order: 10 },
    {
      to: consolePaths.reviews,
      icon: "passed",
      label: "tabs.review",
      order: 20,
      roles: ["secretary", "admin"],
      badge: async () => (await ok(api.v1.tasks.$get({ query: { scope: "oversee", status: "submitted", limit: "100" } }))).data.length,
    },
  ],
  messages: { key: "tasks", "zh-CN": zhCN, en },
};
