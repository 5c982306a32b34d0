import { asc, eq } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { type ClockUnit, issueCategories, type IssueCategoryRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";

export interface CategoryRule {
  key: string;
  name: string;
  ackDays: number;
  ackUnit: ClockUnit;
  resolveDays: number;
  resolveUnit: ClockUnit;
  active: boolean;
}

/**
 * What every bureau starts with. A tenant's row with the same key overrides one; other keys add categories.
 * Most clocks run in working days (the departments answering are offices); a safety hazard does not
 * wait for a holiday, so its clocks run in calendar days.
 */
export const builtInCategories: readonly CategoryRule[] = [
  { key: "utility", name: "管线迁改", ackDays: 1, ackUnit: "working_days", resolveDays: 5, resolveUnit: "working_days", active: true },
  { key: "traffic", name: "交通组织", ackDays: 1, ackUnit: "working_days", resolveDays: 3, resolveUnit: "working_days", active: true },
  { key: "land", name: "征地拆迁", ackDays: 2, ackUnit: "working_days", resolveDays: 20, resolveUnit: "working_days", active: true },
  { key: "approval", name: "审批手续", ackDays: 1, ackUnit: "working_days", resolveDays: 10, resolveUnit: "working_days", active: true },
  { key: "environment", name: "环保扬尘", ackDays: 1, ackUnit: "working_days", resolveDays: 5, resolveUnit: "working_days", active: true },
  { key: "safety", name: "安全隐患", ackDays: 1, ackUnit: "calendar_days", resolveDays: 3, resolveUnit: "calendar_days", active: true },
  { key: "other", name: "其他", ackDays: 1, ackUnit: "working_days", resolveDays: 5, resolveUnit: "working_days", active: true },
];

export const DEFAULT_CATEGORY = "other";

const builtIn = new Map(builtInCategories.map((c) => [c.key, c]));

const ruleOf = (row: IssueCategoryRow): CategoryRule => ({ key: row.key, name: row.name, ackDays: row.ackDays, ackUnit: row.ackUnit, resolveDays: row.resolveDays, resolveUnit: row.resolveUnit, active: row.active });

/** The rule for a key: the tenant's row if it has one, else the built-in one. */
export const effectiveCategory = (key: string, tenantRow: IssueCategoryRow | undefined): CategoryRule | undefined => (tenantRow ? ruleOf(tenantRow) : builtIn.get(key));

/** The select to put in a write's read batch. */
export const categoryRowQuery = (ctx: Pick<ServiceContext, "db">, key: string) => ctx.db.select().from(issueCategories).where(eq(issueCategories.key, key));

export async function listCategories(ctx: ServiceContext) {
  const rows = await ctx.db.select().from(issueCategories).orderBy(asc(issueCategories.key));
  const own = new Map(rows.map((r) => [r.key, r]));
  const merged = builtInCategories.map((c) => ({ ...effectiveCategory(c.key, own.get(c.key))!, builtIn: true }));
  for (const row of rows) if (!builtIn.has(row.key)) merged.push({ ...ruleOf(row), builtIn: false });
  return { data: merged };
}

/** Admin: set a category's name and clocks (overriding a built-in one, or adding a new one); `active: false` retires it from new problems. */
export async function putCategory(ctx: ServiceContext, key: string, input: Omit<CategoryRule, "key" | "active"> & { active?: boolean }) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const [current] = await categoryRowQuery(ctx, key);
  const before = effectiveCategory(key, current);
  const row: IssueCategoryRow = { key, name: input.name, ackDays: input.ackDays, ackUnit: input.ackUnit, resolveDays: input.resolveDays, resolveUnit: input.resolveUnit, active: input.active ?? true, updatedAt: ctx.now.toISOString() };
  const { key: _key, ...fields } = row;
  await runBatch(ctx.db, [
    ctx.db.insert(issueCategories).values(row).onConflictDoUpdate({ target: issueCategories.key, set: fields }),
    auditInsert(ctx, { action: before ? "issue_category.updated" : "issue_category.created", entityType: "issue_category", entityId: key, before: before ?? null, after: ruleOf(row) }),
  ]);
  return { ...ruleOf(row), builtIn: builtIn.has(key) };
}
