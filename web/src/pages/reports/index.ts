import type { ConsoleArea } from "../../area";

/** 电子台账: the checklist ledger and rankings per member and branch for a period, charts, .xlsx made in the browser. */
export const area: ConsoleArea = {
  routes: [
    { path: "/reports", component: () => import("./LedgerPage.vue"), meta: { title: "reports.title", roles: ["admin", "secretary"] } },
    { path: "/reports/projects", component: () => import("./ProjectsReportPage.vue"), meta: { title: "reports.projects.title", roles: ["admin", "secretary"] } },
    { path: "/reports/pledges", component: () => import("./PledgesReportPage.vue"), meta: { title: "reports.pledges.title", roles: ["admin", "secretary"] } },
    { path: "/reports/scores/:memberId", component: () => import("./ScoresPage.vue"), meta: { title: "reports.scores.title", roles: ["admin", "secretary"] } },
  ],
  messages: { key: "reports", load: () => import("./messages") },
};
