import type { ConsoleArea } from "../../area";

/**
 * 管理 (the bureau's office): one tab for admins and secretaries leading to the overview, the
 * checklist editor, the ledger, the org tree and (admins) the members; each page has its own URL.
 */
export const area: ConsoleArea = {
  routes: [
    { path: "/office", component: () => import("./OfficePage.vue"), meta: { title: "office.title", roles: ["admin", "secretary"] } },
    { path: "/office/overview", component: () => import("./OverviewPage.vue"), meta: { title: "office.overview.title", roles: ["admin", "secretary"] } },
    { path: "/office/branches", component: () => import("./BranchTreePage.vue"), meta: { title: "office.branches.title", roles: ["admin", "secretary"] } },
  ],
  tabs: [{ to: "/office", icon: "apps-o", label: "office.tab", order: 80, roles: ["admin", "secretary"] }],
  messages: { key: "office", load: () => import("./messages"), shell: { "zh-CN": { tab: "管理" }, en: { tab: "Admin" } }, uses: ["checklists", "reports", "field"] },
};
