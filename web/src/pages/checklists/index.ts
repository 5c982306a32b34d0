import type { ConsoleArea } from "../../area";

/** 清单编辑: checklists with modules and items on preset schedules, their year's dates, publish, copy to a new year. */
export const area: ConsoleArea = {
  routes: [
    { path: "/checklists", component: () => import("./ChecklistListPage.vue"), meta: { title: "checklists.list.title", roles: ["admin", "secretary"] } },
    { path: "/checklists/new", component: () => import("./ChecklistNewPage.vue"), meta: { title: "checklists.form.newTitle", roles: ["admin", "secretary"] } },
    { path: "/checklists/:id", component: () => import("./ChecklistPage.vue"), meta: { title: "checklists.one.title", roles: ["admin", "secretary"] } },
    { path: "/checklists/:id/items/new", component: () => import("./ItemFormPage.vue"), meta: { title: "checklists.item.newTitle", roles: ["admin", "secretary"] } },
    { path: "/checklists/:id/items/:itemId", component: () => import("./ItemFormPage.vue"), meta: { title: "checklists.item.editTitle", roles: ["admin", "secretary"] } },
  ],
  messages: { key: "checklists", load: () => import("./messages"), uses: ["field"] },
};
