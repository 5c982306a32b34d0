import type { ConsoleArea } from "../../area";

/** 我的: who I am, language, sign out. Profile, notifications and the calendar feed join here. */
export const area: ConsoleArea = {
  routes: [{ path: "/me", component: () => import("./MePage.vue"), meta: { title: "me.title" } }],
  tabs: [{ to: "/me", icon: "user-o", label: "tabs.me", order: 90 }],
  messages: { key: "me", load: () => import("./messages"), uses: ["settings"] },
};
