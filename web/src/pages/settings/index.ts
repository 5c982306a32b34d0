import { consolePaths } from "../../../../src/http/console-links";
import type { ConsoleArea } from "../../area";

/** 我的 → profile, notification categories, calendar feed, API tokens (admins); and the unsubscribe page an email links to (no login). */
export const area: ConsoleArea = {
  routes: [
    { path: `${consolePaths.me}/profile`, component: () => import("./ProfilePage.vue"), meta: { title: "settings.profile.title" } },
    { path: consolePaths.notifications, component: () => import("./NotificationsPage.vue"), meta: { title: "settings.notifications.title" } },
    { path: `${consolePaths.me}/calendar`, component: () => import("./CalendarFeedPage.vue"), meta: { title: "settings.calendar.title" } },
    // The API lets admins hold tokens (api-tokens routes require the role).
    { path: `${consolePaths.me}/api-tokens`, component: () => import("./ApiTokensPage.vue"), meta: { title: "settings.tokens.title", roles: ["admin"] } },
  ],
  bareRoutes: [{ path: consolePaths.unsubscribe, component: () => import("./UnsubscribePage.vue"), meta: { public: true, title: "settings.unsubscribe.title" } }],
  messages: { key: "settings", load: () => import("./messages"), uses: ["field"] },
};
