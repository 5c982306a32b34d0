import { consolePaths } from "../../../../src/http/console-links";
import type { ConsoleArea } from "../../area";

/** 承诺践诺评诺: my pledges, those I review or evaluate, one pledge's steps, and the draft form. */
export const area: ConsoleArea = {
  routes: [
    { path: consolePaths.pledges, component: () => import("./PledgeListPage.vue"), meta: { title: "pledges.list.title" } },
    { path: `${consolePaths.pledges}/new`, component: () => import("./PledgeFormPage.vue"), meta: { title: "pledges.form.newTitle" } },
    { path: consolePaths.pledge, component: () => import("./PledgePage.vue"), meta: { title: "pledges.detail.title" } },
    { path: `${consolePaths.pledge}/edit`, component: () => import("./PledgeFormPage.vue"), meta: { title: "pledges.form.editTitle" } },
  ],
  tabs: [{ to: consolePaths.pledges, icon: "flag-o", label: "pledges.tab", order: 50 }],
  messages: { key: "pledges", load: () => import("./messages"), shell: { "zh-CN": { tab: "承诺" }, en: { tab: "Pledges" } }, uses: ["field"] },
};
