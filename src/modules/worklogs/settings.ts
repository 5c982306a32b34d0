import { eq } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { type RubricItem, type WorklogCategory, worklogSettings } from "../../db/tenant/worklogs.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, invalidField } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";

export interface WorklogRules {
  categories: WorklogCategory[];
  rubric: RubricItem[];
  rubricVersion: number;
  weight: number;
  remindMissing: boolean;
}

/** Xiangyang's words (seed 002): 党建, 业务, 服务群众; the rubric a bureau starts from until it sets its own. */
export const DEFAULT_WORKLOG_RULES: WorklogRules = {
  categories: [
    { key: "party", name: "党建" },
    { key: "business", name: "业务" },
    { key: "service", name: "服务群众" },
    { key: "study", name: "学习" },
    { key: "other", name: "其他" },
  ],
  rubric: [
    { key: "results", name: "工作实绩", max: 40 },
    { key: "attitude", name: "工作态度", max: 20 },
    { key: "quality", name: "日志质量", max: 20 },
    { key: "discipline", name: "纪律作风", max: 20 },
  ],
  rubricVersion: 1,
  weight: 40,
  remindMissing: false,
};

export const worklogSettingsQuery = (db: TenantDb) => db.select().from(worklogSettings).where(eq(worklogSettings.id, 1));

export function worklogRulesOf(rows: (typeof worklogSettings.$inferSelect)[]): WorklogRules {
  const row = rows[0];
  if (!row) return DEFAULT_WORKLOG_RULES;
  const { id: _id, updatedAt: _u, ...rules } = row;
  return rules;
}

export async function worklogRules(ctx: Pick<ServiceContext, "db">) {
  return worklogRulesOf(await worklogSettingsQuery(ctx.db));
}

const sameRubric = (a: RubricItem[], b: RubricItem[]) => JSON.stringify(a) === JSON.stringify(b);

/** Admin only. A changed rubric gets a new version; scores already given keep theirs. */
export async function updateWorklogRules(ctx: ServiceContext, patch: Partial<Omit<WorklogRules, "rubricVersion">>) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const before = await worklogRules(ctx);
  if (patch.categories && new Set(patch.categories.map((c) => c.key)).size !== patch.categories.length) throw invalidField("categories", "分类标识不能重复 / Category keys must be unique");
  if (patch.rubric) {
    if (new Set(patch.rubric.map((r) => r.key)).size !== patch.rubric.length) throw invalidField("rubric", "评分项标识不能重复 / Rubric keys must be unique");
    if (patch.rubric.reduce((n, r) => n + r.max, 0) !== 100) throw invalidField("rubric", "各评分项满分之和须为 100 / The items' maxima must add up to 100");
  }
  const rubricChanged = !!patch.rubric && !sameRubric(patch.rubric, before.rubric);
  const after: WorklogRules = {
    categories: patch.categories ?? before.categories,
    rubric: patch.rubric ?? before.rubric,
    rubricVersion: before.rubricVersion + (rubricChanged ? 1 : 0),
    weight: patch.weight ?? before.weight,
    remindMissing: patch.remindMissing ?? before.remindMissing,
  };
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [
    ctx.db.insert(worklogSettings).values({ id: 1, ...after, updatedAt: stamp }).onConflictDoUpdate({ target: worklogSettings.id, set: { ...after, updatedAt: stamp } }),
    auditInsert(ctx, { action: "worklog_settings.updated", entityType: "worklog_settings", entityId: "1", before, after }),
  ]);
  return after;
}
