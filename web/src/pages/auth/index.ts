import type { ConsoleArea } from "../../area";
import { en, zhCN } from "./messages";

/** Getting in: login, invitation, password reset, signup confirmation. All public, all without the tab bar. */
export const area: ConsoleArea = {
  bareRoutes: [
    { path: "/login", component: () => import("./LoginPage.vue"), meta: { public: true, title: "auth.login.title" } },
  ],
  messages: { key: "auth", "zh-CN": zhCN, en },
};
