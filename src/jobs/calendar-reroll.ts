import { and, asc, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import { NATIONAL_CALENDAR_TTL_MS } from "../calendar/national.js";
import { calendarYears, tenants } from "../db/control/schema.js";
import { type RerollOutcome, rerollProvisional, systemContext } from "../modules/calendar/reroll.js";
import { tenantFacts } from "../modules/tenants/directory.js";
import type { ControlDb, Ports } from "../platform/ports.js";

/** One tenant's re-roll after a year of the national calendar arrived (a message on the same queue as reminders). */
export interface CalendarRerollJob {
  kind: "calendar_reroll";
  tenantId: string;
  at: string;
}

/**
 * The sweep's half for the calendar: years imported (or seeded) since the last sweep become one re-roll
 * job per active tenant. It waits until every process's copy of the calendar has had time to refresh
 * (the TTL), so no request computes a new provisional date after its tenant's job ran.
 */
export async function dispatchCalendarRerolls(control: ControlDb, at: Date, send: (jobs: CalendarRerollJob[]) => Promise<void>, pageSize = 500): Promise<number> {
  const settled = new Date(at.getTime() - NATIONAL_CALENDAR_TTL_MS).toISOString();
  const years = await control.select({ year: calendarYears.year }).from(calendarYears).where(and(isNull(calendarYears.rerollDispatchedAt), lte(calendarYears.importedAt, settled)));
  if (years.length === 0) return 0;
  let after = "";
  let count = 0;
  for (;;) {
    const page = await control.select({ id: tenants.id }).from(tenants).where(and(eq(tenants.status, "active"), gt(tenants.id, after))).orderBy(asc(tenants.id)).limit(pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    await send(page.map((t) => ({ kind: "calendar_reroll", tenantId: t.id, at: at.toISOString() })));
    count += page.length;
  }
  await control.update(calendarYears).set({ rerollDispatchedAt: at.toISOString() }).where(inArray(calendarYears.year, years.map((y) => y.year)));
  return count;
}

/** The queue consumer's work for a re-roll message, on either runtime. */
export async function runCalendarRerollJob(ports: Ports, job: CalendarRerollJob): Promise<RerollOutcome | null> {
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.id, job.tenantId)).limit(1);
  if (!row || row.status !== "active" || !row.dbLocator) return null;
  // The job must see what was imported, whatever this process's copy says.
  await ports.calendar.refresh();
  const tenant = tenantFacts(row);
  const db = ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
  const outcome = await rerollProvisional(systemContext(db, tenant, ports.calendar.current(), ports.now?.() ?? new Date(), `job:calendar_reroll:${job.at}`));
  ports.logger.info({ msg: "calendar re-roll", tenantId: tenant.id, ...outcome });
  return outcome;
}
