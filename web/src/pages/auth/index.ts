import type { ConsoleArea } from "../../area";
import { consolePaths } from "../../../../src/http/console-links";

/** Getting in: login, invitation, password reset, signup confirmation. All public, all without the tab bar. */
export const area: ConsoleArea = {
  bareRoutes: [
    { path: consolePaths.login, component: () => import("./LoginPage.vue"), meta: { public: true, title: "auth.login.title" } },
    { path: consolePaths.invite, component: () => import("./InvitePage.vue"), meta: { public: true, title: "auth.invite.title" } },
    { path: "/forgot", component: () => import("./ForgotPage.vue"), meta: { public: true, title: "auth.forgot.title" } },
    { path: consolePaths.reset, component: () => import("./ResetPage.vue"), meta: { public: true, title: "auth.reset.title" } },
    { path: consolePaths.confirm, component: () => import("./ConfirmPage.vue"), meta: { public: true, title: "auth.confirm.title" } },
  ],
  messages: { key: "auth", load: () => import("./messages") },
};
