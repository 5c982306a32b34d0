import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from "vue-router";
import type { ConsoleArea } from "./area";
import { areas } from "./areas";
import { whenSignedOut } from "./api";
import { loadMessages, t } from "./i18n";
import { refreshSession, restoreSession, session } from "./session";
import TabLayout from "./layouts/TabLayout.vue";
import { MORE_PATH } from "./layouts/tabs";

/** An area's routes, each told which messages to load before it opens: the area's own and those it uses. */
function routesOf(area: ConsoleArea, routes: RouteRecordRaw[] = []): RouteRecordRaw[] {
  const messages = area.messages;
  if (!messages) return routes;
  const messageKeys = [messages.key, ...("uses" in messages ? (messages.uses ?? []) : [])];
  return routes.map((route) => ({ ...route, meta: { ...route.meta, messageKeys } }));
}

const routes: RouteRecordRaw[] = [
  // Pages with the tab bar: children of the layout, so it stays mounted between tabs.
  { path: "/", component: TabLayout, children: [...areas.flatMap((a) => routesOf(a, a.routes)), { path: MORE_PATH, component: () => import("./layouts/MorePage.vue"), meta: { title: "tabs.more" } }] },
  ...areas.flatMap((a) => routesOf(a, a.bareRoutes)),
  { path: "/:rest(.*)*", component: () => import("./layouts/NotFound.vue"), meta: { public: true, title: "common.notFound" } },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

/** Where the login page sends the person afterwards: only a path of this site, never another origin. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function loginLocation(to: Pick<RouteLocationNormalized, "fullPath">) {
  return { path: "/login", query: to.fullPath === "/" ? {} : { next: to.fullPath } };
}

router.beforeEach(async (to) => {
  // Fetch the page's code and words while the session is restored, not after: one round trip less on a deep link.
  for (const record of to.matched) {
    const component = record.components?.default;
    if (typeof component === "function") void (component as () => Promise<unknown>)().catch(() => undefined);
  }
  const words = loadMessages(to.matched.flatMap((record) => record.meta.messageKeys ?? []));
  // After a reload the access token is gone; the refresh cookie brings it back without a login.
  await restoreSession();
  await words;
  if (to.meta.public) return true;
  if (!session.present.value) return loginLocation(to);
  const role = session.role.value;
  if (to.meta.roles && (!role || !to.meta.roles.includes(role))) return { path: "/", query: { denied: "1" } };
  return true;
});

router.afterEach((to) => {
  const title = to.meta.title ? t(to.meta.title) : "";
  document.title = title ? `${title} · ${t("app.name")}` : t("app.name");
});

whenSignedOut(() => {
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace(loginLocation(current));
});

// Loaded with no network: when it returns, the refresh cookie brings the token back (or, if the
// server refuses it, the person goes to the login page and returns here after).
if (typeof window !== "undefined") {
  window.addEventListener("online", async () => {
    if (!session.offline.value) return;
    if (await refreshSession()) return;
    const current = router.currentRoute.value;
    if (!current.meta.public) void router.replace(loginLocation(current));
  });
}
