import type { ConsoleArea } from "../../area";

/** 管理 → 成员: search (pinyin initials), bulk import with a dry run, hand-over on disable (admins). */
export const area: ConsoleArea = {
  routes: [
    { path: "/people", component: () => import("./PeoplePage.vue"), meta: { title: "people.title", roles: ["admin"] } },
    { path: "/people/import", component: () => import("./ImportPage.vue"), meta: { title: "people.importPage.title", roles: ["admin"] } },
  ],
  // Reached from the 管理 tab (pages/office), which gathers the office pages under one entry.
  messages: { key: "people", load: () => import("./messages") },
};
