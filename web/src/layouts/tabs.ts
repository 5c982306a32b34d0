import { computed, ref, type ComputedRef } from "vue";
import { useRoute } from "vue-router";
import { areas } from "../areas";
import type { TabEntry } from "../area";
import { session } from "../session";

/** The 更多 page: the shell's own, inside the tab layout. */
export const MORE_PATH = "/more";
/**
 * A bar of five reads at 360 px (Vant's tabbar gives each item an equal share: 72 px holds an icon
 * and a four-character label); six or more crowd. Beyond five, the first three tabs stay, 我的 (the
 * last) stays, and the rest go to 更多 — as areas are added (worklog, exams, office) nothing wraps.
 */
export const BAR_SLOTS = 5;

const mine = computed(() =>
  areas
    .flatMap((a) => a.tabs ?? [])
    .filter((tab) => !tab.roles || (session.role.value !== undefined && tab.roles.includes(session.role.value)))
    .sort((a, b) => a.order - b.order),
);

export function splitTabs(all: TabEntry[], slots = BAR_SLOTS): { bar: TabEntry[]; more: TabEntry[] } {
  if (all.length <= slots) return { bar: all, more: [] };
  const kept = slots - 2;
  return { bar: [...all.slice(0, kept), all.at(-1)!], more: all.slice(kept, -1) };
}

/** The tab whose path is the longest prefix of `path` ("/" matches only itself). */
export function tabFor(tabs: TabEntry[], path: string): TabEntry | undefined {
  return tabs.filter((tab) => path === tab.to || (tab.to !== "/" && path.startsWith(`${tab.to}/`))).sort((a, b) => b.to.length - a.to.length)[0];
}

const badges = ref<Record<string, number | undefined>>({});

/** Asks each tab's badge for its count again (on mount and navigation). */
export function refreshBadges() {
  for (const tab of mine.value) {
    if (!tab.badge) continue;
    tab.badge().then((n) => (badges.value[tab.to] = n || undefined), () => undefined);
  }
}

export function useTabs(): { bar: ComputedRef<TabEntry[]>; more: ComputedRef<TabEntry[]>; active: ComputedRef<string>; badges: typeof badges; moreBadge: ComputedRef<number | undefined> } {
  const route = useRoute();
  const split = computed(() => splitTabs(mine.value));
  const active = computed(() => {
    const tab = tabFor(mine.value, route.path);
    if (!tab) return route.path === MORE_PATH ? MORE_PATH : "";
    return split.value.more.includes(tab) ? MORE_PATH : tab.to;
  });
  const moreBadge = computed(() => split.value.more.reduce((sum, tab) => sum + (badges.value[tab.to] ?? 0), 0) || undefined);
  return { bar: computed(() => split.value.bar), more: computed(() => split.value.more), active, badges, moreBadge };
}
