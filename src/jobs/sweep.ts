import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { tenants } from "../db/control/schema.js";
import { tenantFacts } from "../modules/tenants/directory.js";
import type { TenantFacts } from "../http/env.js";
import type { ControlDb } from "../platform/ports.js";

export interface ReminderJob {
  kind?: "reminders";
  tenantId: string;
  /** The sweep's instant (ISO): the job plans for the tenant's local day at that moment. */
  at: string;
}

const localHour = (at: Date, timeZone: string) => Number(new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" }).format(at));

/**
 * Pages through active tenants and yields those whose local send hour is `at`'s hour (cron runs in
 * UTC; bureaus live in their own zones), a page at a time so thousands of tenants stay cheap.
 */
export async function* tenantsDueAt(control: ControlDb, at: Date, pageSize = 500): AsyncGenerator<TenantFacts[]> {
  let after = "";
  for (;;) {
    const page = await control.select().from(tenants).where(and(eq(tenants.status, "active"), isNull(tenants.confirmationPendingSince), gt(tenants.id, after))).orderBy(asc(tenants.id)).limit(pageSize);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    const due = page.filter((t) => t.dbLocator && localHour(at, t.timezone) === t.reminderHour).map(tenantFacts);
    if (due.length) yield due;
  }
}

/** What the tenant job queue carries: a morning's reminders, or a re-roll after a calendar import. */
export type TenantJob = ReminderJob | import("./calendar-reroll.js").CalendarRerollJob;
