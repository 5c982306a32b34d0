import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { csvResponse, wantsCsv } from "../../http/csv.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { periodField } from "./periods.js";
import { worklogLedger } from "./worklogs.js";

const query = v.strictObject({ period: periodField, groupBy: v.optional(v.picklist(["member", "branch"]), "member"), format: v.optional(v.literal("csv")) });
const n = v.number();
const rowOut = v.object({ id: v.string(), name: v.string(), branchId: v.nullable(v.string()), branchName: v.nullable(v.string()), members: n, workingDays: n, daysWritten: n, leaveDays: n, completeness: n, scoredMonths: n, averageScore: v.nullable(n), checklistRate: v.nullable(n), composite: v.nullable(n) });

export const worklogReportRoutes = new Hono<AppEnv>().get("/", docs({ summary: "电子日志 ledger: completeness, average monthly score, composite (JSON; CSV with Accept: text/csv)", tags: ["reports"], responses: { 200: v.object({ period: v.string(), groupBy: v.string(), weight: n, workingDays: n, data: v.array(rowOut) }) } }), validate("query", query), async (c) => {
  const q = c.req.valid("query");
  const report = await worklogLedger(serviceContext(c), q);
  if (wantsCsv(c))
    return csvResponse(
      `工作日志-${q.groupBy === "member" ? "成员" : "组织"}-${q.period}.csv`,
      [q.groupBy === "member" ? "成员" : "组织", ...(q.groupBy === "member" ? ["所在组织"] : ["人数"]), "应填天数", "已填天数", "请假天数", "完成率%", "已打分月数", "月均得分", "清单完成率%", `综合得分（日常考评权重 ${report.weight}）`],
      report.data.map((r) => [r.name, q.groupBy === "member" ? (r.branchName ?? "") : r.members, r.workingDays, r.daysWritten, r.leaveDays, r.completeness, r.scoredMonths, r.averageScore, r.checklistRate, r.composite]),
    );
  return c.json({ period: q.period, groupBy: q.groupBy, ...report }, 200);
});
