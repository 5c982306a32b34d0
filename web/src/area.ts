import type { RouteRecordRaw } from "vue-router";
import type { Role } from "./session";

/**
 * What one folder under pages/ contributes to the console. Each `pages/<area>/index.ts` exports
 * `area` and nothing in the shell names it: adding an area never touches another one's files.
 */
export interface ConsoleArea {
  /** Pages inside the tab layout (login required unless `meta.public`). Paths are absolute. */
  routes?: RouteRecordRaw[];
  /** Full-screen pages without the tab bar: login, invitation, public board, photo viewers. */
  bareRoutes?: RouteRecordRaw[];
  /** Entries of the bottom tab bar, sorted by `order` across areas. */
  tabs?: TabEntry[];
  /**
   * Messages merged under the area's own key: `t("<key>.x")`. Either `load`ed with the area's first
   * page (in parallel with its code), or both languages inline, which puts them in every first
   * load: only the shell's first page (the task list) should.
   */
  messages?: AreaMessages | LazyAreaMessages;
}

/** Both languages inline: in the shell's first load. One object per language, same keys. */
export interface AreaMessages {
  key: string;
  "zh-CN": Messages;
  en: Messages;
}

/** Fetched when a page of the area (or of an area that `uses` it) is first opened. */
export interface LazyAreaMessages {
  key: string;
  /** `() => import("./messages")`: a module exporting `zhCN` and `en`. */
  load: () => Promise<{ zhCN: Messages; en: Messages }>;
  /** The few words the shell shows before any page of the area opens: the tab label. */
  shell?: { "zh-CN": Messages; en: Messages };
  /** Keys of other areas whose words its pages show (components shared from their folders, e.g. "field"). */
  uses?: string[];
}

export interface TabEntry {
  /** The route path the tab opens; the tab is active on that path and below it. */
  to: string;
  /** A Vant icon name (https://vant-ui.github.io/vant/#/zh-CN/icon). */
  icon: string;
  /** An i18n key. */
  label: string;
  /** Lower first. The shell's: 待办 10, 审核 20, 我的 90; leave room between. */
  order: number;
  /** Only these roles see the tab; everyone when absent. */
  roles?: Role[];
  /** Returns a count shown as a badge (refreshed when the tab bar mounts and on navigation). */
  badge?: () => Promise<number | undefined>;
}

export type Messages = { [key: string]: string | string[] | Messages };

declare module "vue-router" {
  interface RouteMeta {
    /** No login needed (login, invitation, reset, confirm, public board, unsubscribe). */
    public?: boolean;
    /** Only these roles may open the page; others go to the home page. */
    roles?: Role[];
    /** i18n key of the page title (document title and nav bar). */
    title?: string;
    /** Set by the router from the route's area: the message keys to load before the page opens. */
    messageKeys?: string[];
  }
}
