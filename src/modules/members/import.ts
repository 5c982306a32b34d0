import { eq, inArray, or } from "drizzle-orm";
import * as v from "valibot";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { branches, invitationSends, members, type BranchRow, type MemberRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import type { Lang } from "../../http/i18n.js";
import { toFieldErrors } from "../../http/validation.js";
import { type FieldError, forbidden, ProblemError } from "../../http/problem.js";
import type { Recipient } from "../../platform/ports.js";
import { auditInsertMany, type AuditChange } from "../audit/service.js";
import { invitedMemberRow, loginTaken, ROLE_RANK } from "./service.js";
import { type ImportRow, importRow } from "./schemas.js";
import { memberView } from "./views.js";

/** Rows per multi-row INSERT: 15 columns × 500 stays far below SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 500;
/** Values per IN (…) list when looking up existing emails and phones. */
const LOOKUP_CHUNK = 500;
/** Invitations one queued job sends: a Worker invocation stays well inside its subrequest budget. */
export const INVITATIONS_PER_JOB = 50;

type Outcome = { line: number; status: "created" | "updated" | "unchanged"; memberId: string | null; invitation: "queued" | "link" | null };

/**
 * Branch name paths ("机关党委/第一党总支/第三党支部") to branches. Every trailing part of a full path
 * is accepted too ("第三党支部" alone) when it names exactly one branch; an ambiguous one is refused.
 */
export function branchResolver(rows: Pick<BranchRow, "id" | "name" | "path">[]) {
  const nameOf = new Map(rows.map((b) => [b.id, b.name]));
  const bySuffix = new Map<string, string[]>();
  for (const b of rows) {
    const names = b.path.split("/").filter(Boolean).map((id) => nameOf.get(id) ?? "");
    for (let i = 0; i < names.length; i++) {
      const key = names.slice(i).join("/");
      bySuffix.set(key, [...(bySuffix.get(key) ?? []), b.id]);
    }
  }
  const norm = (path: string) =>
    path
      .split(/[/／>＞\\]/)
      .map((p) => p.trim())
      .filter(Boolean)
      .join("/");
  return (path: string): { id: string } | { error: "unknown" | "ambiguous" } => {
    const found = bySuffix.get(norm(path)) ?? [];
    if (found.length === 1) return { id: found[0]! };
    return { error: found.length ? "ambiguous" : "unknown" };
  };
}

/** Messages in the reader's language, each starting with the row's line in the file. */
function lineSayer(lang: Lang) {
  return (line: number, zh: string, en: string) => (lang === "zh-CN" ? `第 ${line} 行：${zh}` : `Line ${line}: ${en}`);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Bulk import (admin): every row is checked against the file itself and the tenant's data; one bad
 * row refuses the whole call with each problem by line, and nothing is written. A row that matches a
 * member by email or phone updates them (a second run of the same file changes nothing), others are
 * created as invited. Two round trips: one batch of reads, one batch of writes with their audit rows.
 * Invitations are not sent here: they are queued for the job queue (`queueJobs`), in batches.
 */
export async function importMembers(
  ctx: ServiceContext,
  input: { rows: Record<string, unknown>[]; dryRun: boolean; invite: boolean },
  deps: { lang: Lang; reachable: (r: Recipient) => boolean; queueJobs: (count: number) => Promise<void> },
) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const say = lineSayer(deps.lang);
  const errors: FieldError[] = [];
  const rows: (ImportRow & { index: number; line: number })[] = [];
  input.rows.forEach((raw, index) => {
    const parsed = v.safeParse(importRow, raw);
    const line = parsed.success ? (parsed.output.line ?? index + 1) : typeof raw.line === "number" && Number.isInteger(raw.line) && raw.line > 0 ? raw.line : index + 1;
    if (parsed.success) rows.push({ ...parsed.output, index, line });
    else for (const e of toFieldErrors(parsed.issues, deps.lang, `rows.${index}`)) errors.push({ path: e.path, message: say(line, e.message, e.message) });
  });
  const emails = [...new Set(rows.flatMap((r) => (r.email ? [r.email] : [])))];
  const phones = [...new Set(rows.flatMap((r) => (r.phone ? [r.phone] : [])))];
  const lookups = [...chunks(emails, LOOKUP_CHUNK).map((c) => ({ emails: c, phones: [] as string[] })), ...chunks(phones, LOOKUP_CHUNK).map((c) => ({ emails: [] as string[], phones: c }))];
  const [branchRows, ...found] = await ctx.db.batch([
    ctx.db.select({ id: branches.id, name: branches.name, path: branches.path }).from(branches),
    ...lookups.map((l) => ctx.db.select().from(members).where(or(inArray(members.email, l.emails.length ? l.emails : [""]), inArray(members.phone, l.phones.length ? l.phones : [""])))),
  ] as const);
  const existing = new Map<string, MemberRow>();
  for (const m of found.flat() as MemberRow[]) {
    if (m.email) existing.set(`e:${m.email}`, m);
    if (m.phone) existing.set(`p:${m.phone}`, m);
  }
  const resolve = branchResolver(branchRows);

  const fail = (index: number, field: string, message: string) => errors.push({ path: `rows.${index}.${field}`, message });
  const branchMessage = (line: number, what: "unknown" | "ambiguous", path: string) =>
    what === "unknown" ? say(line, `组织「${path}」不存在`, `no branch "${path}"`) : say(line, `组织「${path}」不唯一，请写出完整路径`, `"${path}" names several branches; give the full path`);
  const seen = new Map<string, number>();
  const plans: { row: (typeof rows)[number]; before?: MemberRow; after: MemberRow }[] = [];
  const stamp = ctx.now.toISOString();

  for (const row of rows) {
    const { index, line } = row;
    for (const [key, field] of [[row.email && `e:${row.email}`, "email"], [row.phone && `p:${row.phone}`, "phone"]] as const) {
      if (!key) continue;
      const earlier = seen.get(key);
      if (earlier !== undefined) fail(index, field, say(line, `与第 ${earlier} 行重复`, `repeats line ${earlier}`));
      else seen.set(key, line);
    }
    const branchId = row.branch ? resolve(row.branch) : { id: null };
    if ("error" in branchId) fail(index, "branch", branchMessage(line, branchId.error, row.branch!));
    const secondId = row.secondBranch ? resolve(row.secondBranch) : { id: null };
    if ("error" in secondId) fail(index, "secondBranch", branchMessage(line, secondId.error, row.secondBranch!));

    const byEmail = row.email ? existing.get(`e:${row.email}`) : undefined;
    const byPhone = row.phone ? existing.get(`p:${row.phone}`) : undefined;
    if (byEmail && byPhone && byEmail.id !== byPhone.id) {
      fail(index, "phone", say(line, "邮箱和手机号分属两位已有成员", "the email and the phone belong to two different members"));
      continue;
    }
    const before = byEmail ?? byPhone;
    // Taking a role away ends sessions and may clear branches' secretaries: that is the member page's step, not a file's.
    if (before && ROLE_RANK[row.role] < ROLE_RANK[before.role]) fail(index, "role", say(line, "导入不能降低成员角色", "an import cannot lower a member's role"));
    if (before && row.email && before.email && before.email !== row.email) fail(index, "email", say(line, "该手机号的成员已有另一邮箱", "the member with this phone has another email"));
    if (before && row.phone && before.phone && before.phone !== row.phone) fail(index, "phone", say(line, "该邮箱的成员已有另一手机号", "the member with this email has another phone"));
    if ("error" in branchId || "error" in secondId) continue;

    const after: MemberRow = before
      ? {
          ...before,
          name: row.name,
          nameInitials: row.nameInitials ?? (row.name === before.name ? before.nameInitials : null),
          email: before.email ?? row.email ?? null,
          phone: before.phone ?? row.phone ?? null,
          role: row.role,
          branchId: branchId.id,
          secondBranchId: secondId.id,
          updatedAt: stamp,
        }
      : invitedMemberRow(ctx.now, { ...row, branchId: branchId.id, secondBranchId: secondId.id });
    plans.push({ row, before, after });
  }
  if (errors.length) {
    const count = new Set(errors.map((e) => e.path.split(".")[1])).size;
    throw new ProblemError("validation.failed", { detail: deps.lang === "zh-CN" ? `${count} 行有误，未导入任何数据` : `${count} rows are invalid; nothing was imported`, errors });
  }

  const changed = (p: (typeof plans)[number]) => {
    const { updatedAt: _a, ...b } = p.before!;
    const { updatedAt: _b, ...a } = p.after;
    return JSON.stringify(a) !== JSON.stringify(b);
  };
  const outcomes: Outcome[] = [];
  const created: MemberRow[] = [];
  const updated: { before: MemberRow; after: MemberRow }[] = [];
  const invite: MemberRow[] = [];
  for (const p of plans) {
    if (!p.before) {
      created.push(p.after);
      const queued = input.invite && deps.reachable(p.after);
      if (queued) invite.push(p.after);
      // A dry run's new ids are not kept: it names no member that exists.
      outcomes.push({ line: p.row.line, status: "created", memberId: input.dryRun ? null : p.after.id, invitation: queued ? "queued" : "link" });
    } else if (changed(p)) {
      updated.push({ before: p.before, after: p.after });
      outcomes.push({ line: p.row.line, status: "updated", memberId: p.after.id, invitation: null });
    } else outcomes.push({ line: p.row.line, status: "unchanged", memberId: p.after.id, invitation: null });
  }
  // A secretary in the file leads nothing yet: branches get their secretaries on the org tree.
  const result = { dryRun: input.dryRun, created: created.length, updated: updated.length, unchanged: outcomes.length - created.length - updated.length, invitationsQueued: invite.length, rows: outcomes };
  if (input.dryRun || (created.length === 0 && updated.length === 0)) return result;

  const statements: Statement[] = [];
  for (const chunk of chunks(created, INSERT_CHUNK)) statements.push(ctx.db.insert(members).values(chunk));
  for (const { after } of updated) {
    const { id, createdAt: _c, passwordHash: _p, status: _s, lastLoginAt: _l, ...fields } = after;
    statements.push(ctx.db.update(members).set(fields).where(eq(members.id, id)));
  }
  const sends = invite.map((m) => ({ id: newId("ivs", ctx.now.getTime()), memberId: m.id, requestedBy: ctx.actor.memberId, requestedAt: stamp }));
  for (const chunk of chunks(sends, INSERT_CHUNK)) statements.push(ctx.db.insert(invitationSends).values(chunk));
  const audit: AuditChange[] = [
    ...created.map((m) => ({ action: "member.imported", entityType: "member", entityId: m.id, after: memberView(m) })),
    ...updated.map((u) => ({ action: "member.updated", entityType: "member", entityId: u.after.id, before: memberView(u.before), after: memberView(u.after) })),
  ];
  statements.push(...auditInsertMany(ctx, audit));
  try {
    await runBatch(ctx.db, statements);
  } catch (error) {
    // Another request took an email or phone between our read and write.
    throw loginTaken(error);
  }
  if (invite.length) await deps.queueJobs(Math.ceil(invite.length / INVITATIONS_PER_JOB));
  return result;
}
