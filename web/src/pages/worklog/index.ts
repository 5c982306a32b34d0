import { consolePaths } from "../../../../src/http/console-links";
import type { ConsoleArea } from "../../area";

/** 电子日志: 写日志 (a day, yesterday's categories prefilled), the leader's team day, the monthly scoring sheet. */
export const area: ConsoleArea = {
  routes: [
    { path: "/worklog", redirect: () => `/worklog/day/${today()}` },
    { path: consolePaths.worklogDay, component: () => import("./DayPage.vue"), meta: { title: "worklog.day.title" } },
    { path: consolePaths.worklogTeam, component: () => import("./TeamPage.vue"), meta: { title: "worklog.team.title" } },
    { path: consolePaths.worklogScoring, component: () => import("./ScoringPage.vue"), meta: { title: "worklog.scoring.title" } },
  ],
  tabs: [{ to: "/worklog", icon: "notes-o", label: "worklog.tab", order: 35 }],
  messages: { key: "worklog", load: () => import("./messages"), shell: { "zh-CN": { tab: "日志" }, en: { tab: "Log" } }, uses: ["field"] },
};

const pad = (n: number) => String(n).padStart(2, "0");
/** The phone's own date: the person writes the day they are living. */
export function today(d = new Date()) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
export function shiftDate(date: string, days: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
