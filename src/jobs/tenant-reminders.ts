import type { ResultSet } from "@libsql/client";
import { and, isNotNull, ne, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { tenantCalendar } from "../calendar/tenant.js";
import type { NationalCalendarData } from "../calendar/work-calendar.js";
import { localDate, zonedInstant } from "../calendar/zoned.js";
import type { TenantDb } from "../db/tenant/index.js";
import { clientOf } from "../db/batch.js";
import { notificationPrefs, type ReminderCategory } from "../db/tenant/reminders.js";
import { members } from "../db/tenant/schema.js";
import type { TenantFacts } from "../http/env.js";
import { makeUnsubscribeToken, makeUnsubscribeTokenSync } from "../modules/reminders/unsubscribe-token.js";
import type { Mailer, SyncCrypto } from "../platform/ports.js";
import { markShiftsTold } from "./plan-date-shifts.js";
import { markEscalationsTold } from "./plan-problems.js";
import { composeDigest, type Digest } from "./compose.js";
import { deliverAll } from "./deliver.js";
import { coveredDays, type PlannedItem, reminderSources } from "./plan.js";
import { type Morning, readMorning } from "./plan-morning.js";
import { jsonRows, onceSql } from "../db/once-sql.js";
import { rulesOf } from "./settings.js";

export interface ReminderDeps {
  db: TenantDb;
  tenant: TenantFacts;
  mailer: Mailer;
  jwtSecret: string;
  publicUrl: string;
  nationalCalendar: NationalCalendarData;
  /** Node's synchronous HMAC and SHA-256 (Ports.syncCrypto); without it, WebCrypto's (the Worker). */
  syncCrypto?: SyncCrypto;
}

/**
 * A member's digest of a day in `reminder_deliveries`: the day first, so a morning's 200 claims land
 * side by side at the end of the key's index. Member first (`digest:<member>:<day>`, until migration
 * 0017 rewrote them), each claim went to a different leaf of an index that grows every working day: a
 * year in, a morning of 200 claimed in 2.3× a new tenant's time and wrote 7.6× the bytes (ADR 0030).
 */
export const digestKey = (day: string, memberId: string) => `digest:${day}:${memberId}`;

/** A digest already sent today: not composed again, but still counted (and its date shifts still told). */
export interface SentDigest {
  memberId: string;
  movedDates: boolean;
}

/**
 * What would go out for a tenant on a day, per recipient, composed exactly as it will be sent. With
 * `skipSent`, digests whose key is already marked sent that day are listed in `alreadySent` instead of
 * composed (their keys read in the same round trip as the settings): a re-run of a morning costs the
 * planning queries, not 200 signed links and letters.
 */
export async function planTenantDigests(deps: Omit<ReminderDeps, "mailer">, day: string, options: { skipSent?: boolean; morning?: Morning } = {}) {
  // The probe's cleanup flags are the job's (run-job.ts); a preview reads the rest at the wall clock's now.
  const morning = options.morning ?? (await readMorning(deps.db, day, new Date(), options));
  const sent = morning.sentKeys;
  const alreadySent: SentDigest[] = [];
  const rules = rulesOf(morning.settings);
  const calendar = tenantCalendar(deps.nationalCalendar, morning.overrides);
  // A year without official data counts weekends only: mail keeps going out on weekdays meanwhile.
  const sendsToday = rules.enabled && (!rules.workingDaysOnly || calendar.isWorkingDay(day));
  if (!sendsToday) return { day, sendsToday, rules, messages: [], alreadySent, escalations: [] };

  const input = { db: deps.db, rules, day, coveredDays: coveredDays(day, rules.workingDaysOnly, calendar), timeZone: deps.tenant.timezone, calendar };
  const planned = (await Promise.all(reminderSources.flatMap((source, i) => (morning.sources[i] ? [source.plan(input)] : [])))).flat();
  const byRecipient = new Map<string, PlannedItem[]>();
  for (const item of planned) {
    const items = byRecipient.get(item.recipientId);
    if (items) items.push(item);
    else byRecipient.set(item.recipientId, [item]);
  }
  const ids = [...byRecipient.keys()];
  // Each (problem, clock) once, at the step planned.
  const escalations = [...new Map(planned.flatMap((i) => (i.escalation ? [[`${i.escalation.issueId}|${i.escalation.clock}`, i.escalation] as const] : []))).values()];
  if (ids.length === 0) return { day, sendsToday, rules, messages: [], alreadySent, escalations };

  const people = recipientRows(await clientOf(deps.db).execute(recipientsStatement({ ids: JSON.stringify(ids) })));
  const toCompose = [];
  for (const person of people.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const muted = person.muted;
    const items = (byRecipient.get(person.id) ?? []).filter((i) => !muted?.has(i.category));
    if (items.length === 0) continue;
    const key = digestKey(day, person.id);
    const movedDates = items.some((i) => i.kind === "rescheduled");
    if (sent.has(key)) {
      alreadySent.push({ memberId: person.id, movedDates });
      continue;
    }
    toCompose.push({ key, person, items, movedDates });
  }
  // Issued at the wall clock's now (not the digest's day): a link is good for a year from when it is mailed.
  // On Node signed at once (node:crypto); WebCrypto answers each in a promise, so there they are signed all together.
  const issuedAt = new Date();
  const link = (person: { unsubscribeVersion: number }) => ({ version: person.unsubscribeVersion, issuedAt });
  const sync = deps.syncCrypto;
  const tokens = sync
    ? toCompose.map(({ person }) => makeUnsubscribeTokenSync(sync.hmacSha256, deps.jwtSecret, deps.tenant.id, person.id, link(person)))
    : await Promise.all(toCompose.map(({ person }) => makeUnsubscribeToken(deps.jwtSecret, deps.tenant.id, person.id, link(person))));
  const messages = toCompose.map(({ key, person, items, movedDates }, i) => {
    // Digests go by email: a member with a phone only is reached when an SMS channel exists. The planned
    // items go in as they are (composeDigest reads only a DigestItem's fields), not copied without theirs.
    const digest: Digest = { recipient: { id: person.id, email: person.email!, name: person.name, locale: person.locale }, items };
    return { key, memberId: person.id, items: items.length, movedDates, message: composeDigest(digest, { tenant: deps.tenant, publicUrl: deps.publicUrl, unsubscribeToken: tokens[i]! }) };
  });
  return { day, sendsToday, rules, messages, alreadySent, escalations };
}

// The recipients by a JSON list (json_each), not an IN list of as many values: one SQL text whatever
// their number, prepared once per connection, and 200 values neither built by drizzle nor bound one by one.
const ofIds = (column: SQLiteColumn) => sql`${column} IN (SELECT value FROM json_each(${sql.placeholder("ids")}))`;
// Each with the categories they muted, in one statement, read as one JSON value (jsonRows); the muted
// list stays its column's text inside it, decoded as drizzle decodes that column.
const recipientsStatement = onceSql<{ ids: string }>(
  () => sql`SELECT json_group_array(json_array(${members.id}, ${members.email}, ${members.name}, ${members.locale}, ${members.unsubscribeVersion}, ${notificationPrefs.mutedCategories}))
    FROM ${members} LEFT JOIN ${notificationPrefs} ON ${notificationPrefs.memberId} = ${members.id}
    WHERE ${and(ofIds(members.id), ne(members.status, "disabled"), isNotNull(members.email))}`,
);
const recipientRows = (result: ResultSet | undefined) =>
  jsonRows<[string, string, string, string | null, number, string | null]>(result).map(([id, email, name, locale, unsubscribeVersion, muted]) => ({
    id,
    email,
    name,
    locale,
    unsubscribeVersion,
    muted: muted === null ? null : new Set(notificationPrefs.mutedCategories.mapFromDriverValue(muted) as ReminderCategory[]),
  }));

export interface ReminderRun {
  tenantId: string;
  day: string;
  sendsToday: boolean;
  planned: number;
  sent: number;
  alreadySent: number;
  inProgress: number;
  failed: number;
}

/**
 * One tenant's morning: plan, compose, and send each digest exactly once. A failed send does not stop
 * the others; the caller retries the whole run, which sends only what is not sent yet.
 */
export async function runTenantReminders(deps: ReminderDeps, at: Date, morning?: Morning): Promise<ReminderRun> {
  const day = localDate(at, deps.tenant.timezone);
  const plan = await planTenantDigests(deps, day, { skipSent: true, ...(morning ? { morning } : {}) });
  const outcome = await deliverAll(deps.db, deps.mailer, plan.messages, day, at, deps.syncCrypto);
  outcome.already_sent += plan.alreadySent.length;
  // 「截止日期调整」 is told once: when every digest carrying one went out, those shifts are done.
  const told = [...plan.messages, ...plan.alreadySent].filter((m) => m.movedDates).map((m) => m.memberId);
  if (told.length && outcome.failed === 0) await markShiftsTold(deps.db, day, told);
  // An escalation step is told once: marked when the morning went out whole; a retry re-plans it until then.
  if (outcome.failed === 0) await markEscalationsTold(deps.db, day, plan.escalations);
  const run: ReminderRun = { tenantId: deps.tenant.id, day, sendsToday: plan.sendsToday, planned: plan.messages.length + plan.alreadySent.length, sent: outcome.sent, alreadySent: outcome.already_sent, inProgress: outcome.in_progress, failed: outcome.failed };
  return run;
}

/** The instant a tenant's digest is due on a day: its send hour, local time. */
export const sendInstant = (day: string, hour: number, timeZone: string) => zonedInstant(day, `${String(hour).padStart(2, "0")}:00:00`, timeZone);
