import type { ConsoleArea } from "../../area";
import { en, zhCN } from "./messages";

/** 我的待办, a task with its records, and 待我审核 (secretaries and admins). */
export const area: ConsoleArea = {
  routes: [
    { path: "/", component: () => import("./TaskListPage.vue"), meta: { title: "tasks.list.title" } },
    { path: "/tasks/:id", component: () => import("./TaskPage.vue"), meta: { title: "tasks.task.title" } },
  ],
  tabs: [{ to: "/", icon: "todo-list-o", label: "tabs.tasks", order: 10 }],
  messages: { key: "tasks", "zh-CN": zhCN, en },
};
