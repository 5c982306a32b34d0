import { Hono } from "hono";
import * as v from "valibot";
import { checklistKinds } from "../../db/tenant/checklists.js";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { CSV_DESCRIPTION, csvResponse, wantsCsv } from "../../http/csv.js";
import type { Lang } from "../../http/i18n.js";
import { idField } from "../../http/fields.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { checklistLedger, checklistRankings, scoreExplanation } from "./checklists.js";
import { taskSettingsOf } from "../tasks/service.js";
import { periodField } from "./periods.js";

const tags = ["reports"];

const ledgerQuery = v.strictObject({
  period: periodField,
  groupBy: v.optional(v.picklist(["member", "branch"]), "member"),
  checklistId: v.optional(idField("cl")),
  kind: v.optional(v.picklist(checklistKinds)),
  format: v.optional(v.literal("csv")),
});

const ledgerRowOut = v.object({
  id: v.string(),
  name: v.string(),
  branchId: v.nullable(v.string()),
  branchName: v.nullable(v.string()),
  assigned: v.number(),
  done: v.number(),
  onTime: v.number(),
  late: v.number(),
  overdue: v.number(),
  open: v.number(),
  shortfall: v.number(),
  returns: v.number(),
  /** Done on time by an accepted back-fill (补录); counted in `onTime` too. */
  backfilled: v.number(),
  points: v.number(),
});
const ledgerOut = v.object({ period: v.string(), groupBy: v.string(), data: v.array(ledgerRowOut) });
const rankingOut = v.object({
  period: v.string(),
  groupBy: v.string(),
  /** How many were ranked in all: a member's `rank` is among everyone, whatever rows they see. */
  ranked: v.number(),
  /** Another member's row shown to a plain member has no id, and its name as the bureau allows. */
  data: v.array(v.object({ rank: v.number(), ...ledgerRowOut.entries, id: v.nullable(v.string()) })),
});
const scoresOut = v.object({
  memberId: v.string(),
  period: v.string(),
  total: v.number(),
  tasks: v.array(v.object({ taskId: v.string(), checklistTitle: v.string(), module: v.string(), title: v.string(), dueDate: v.string(), completedAt: v.string(), onTime: v.boolean(), returns: v.number(), points: v.number(), basis: v.unknown(), explanation: v.string() })),
});

const headers = {
  "zh-CN": { member: "成员", branch: "组织", home: "所在组织", rank: "名次", figures: ["应完成", "已完成", "按时完成", "逾期完成", "已逾期", "未到期", "次数差额", "退回次数", "得分"] },
  en: { member: "Member", branch: "Branch", home: "Home branch", rank: "Rank", figures: ["Assigned", "Done", "On time", "Late", "Overdue", "Open", "Shortfall", "Returns", "Points"] },
};
const header = (groupBy: string, lang: Lang) => {
  const h = headers[lang];
  return [groupBy === "member" ? h.member : h.branch, ...(groupBy === "member" ? [h.home] : []), ...h.figures];
};
const csvRow = (groupBy: string, r: Omit<Awaited<ReturnType<typeof checklistLedger>>[number], "id">) => [r.name, ...(groupBy === "member" ? [r.branchName ?? ""] : []), r.assigned, r.done, r.onTime, r.late, r.overdue, r.open, r.shortfall, r.returns, r.points];

export const checklistReportRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "The checklist ledger (电子台账) per member or branch for a month, quarter, half year or year; CSV with Accept: text/csv", description: `A member's row names their home branch; a branch's row is the branch itself (its id and name in \`branchId\`, \`branchName\`). Admin: everyone; a secretary: the subtrees they lead; a member: their own row. ${CSV_DESCRIPTION}`, tags, responses: { 200: ledgerOut } }), validate("query", ledgerQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await checklistLedger(serviceContext(c), q);
    if (wantsCsv(c)) return csvResponse(`台账-${q.groupBy === "member" ? "成员" : "组织"}-${q.period}.csv`, header(q.groupBy, c.get("lang")), rows.map((r) => csvRow(q.groupBy, r)));
    return c.json({ period: q.period, groupBy: q.groupBy, data: rows }, 200);
  })
  .get(
    "/rankings",
    docs({
      summary: "Rankings by points (ties share a rank); CSV with Accept: text/csv",
      description: `Ranks are among everyone ranked (\`ranked\` counts them). Admins and secretaries see the rows of their ledger; a plain member sees their own row with its true rank, and the others as the bureau's \`rankingNames\` setting (PUT /v1/tasks/settings) allows: \`full\`, \`surname\` (王**) or \`hidden\` (own row only, the default). ${CSV_DESCRIPTION}`,
      tags,
      responses: { 200: rankingOut },
    }),
    validate("query", ledgerQuery),
    async (c) => {
    const q = c.req.valid("query");
    const ctx = serviceContext(c);
    const { ranked: count, data: ranked } = await checklistRankings(ctx, q, (await taskSettingsOf(ctx)).rankingNames);
    if (wantsCsv(c)) return csvResponse(`排名-${q.period}.csv`, [headers[c.get("lang")].rank, ...header(q.groupBy, c.get("lang"))], ranked.map((r) => [r.rank, ...csvRow(q.groupBy, r)]));
    return c.json({ period: q.period, groupBy: q.groupBy, ranked: count, data: ranked }, 200);
    },
  )
  .get("/scores", docs({ summary: "A member's score explained task by task", tags, responses: { 200: scoresOut } }), validate("query", v.strictObject({ memberId: idField("mem"), period: periodField })), async (c) => {
    const q = c.req.valid("query");
    return c.json(await scoreExplanation(serviceContext(c), q.memberId, q.period), 200);
  });
