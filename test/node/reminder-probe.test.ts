import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenantCalendar } from "../../src/calendar/tenant.js";
import { localDate } from "../../src/calendar/zoned.js";
import { tenants } from "../../src/db/control/schema.js";
import { unacknowledgedStatuses, unresolvedStatuses } from "../../src/db/tenant/schema.js";
import { coveredDays, reminderSources } from "../../src/jobs/plan.js";
import { everySource, readMorning } from "../../src/jobs/plan-morning.js";
import { rulesOf } from "../../src/jobs/settings.js";
import { planTenantDigests } from "../../src/jobs/tenant-reminders.js";
import { tenantFacts } from "../../src/modules/tenants/directory.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { examBureau, publishedPaper } from "../exams/fixture.js";
import { approvedPledge, bureau as pledgeBureau, pledgeBody } from "../pledges/fixture.js";
import { bureau as projectBureau } from "../projects/fixture.js";

import { nodeApiOnClock } from "../support/node-target.js";

/**
 * The morning's probe (src/jobs/plan-morning.ts) skips a source only when the source itself would
 * plan nothing: checked on real tenants against running every source, each source alone included.
 */
let clock = new Date("2026-11-02T02:00:00Z");
const api = nodeApiOnClock(() => clock);

const names = ["tasks", "reviews", "summary", "problems", "pledges", "dateShifts", "worklogs", "exams"];

/** Which sources the probe lets run at `at`, after checking that each one it skips plans nothing and the morning is the same as with every source. */
async function probeAt(tenantId: string, at: Date) {
  const ports = api.target.ports;
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.id, tenantId));
  const tenant = tenantFacts(row!);
  const db = ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
  const day = localDate(at, tenant.timezone);
  const morning = await readMorning(db, day, at);
  const rules = rulesOf(morning.settings);
  const calendar = tenantCalendar(ports.calendar.current(), morning.overrides);
  const input = { db, rules, day, coveredDays: coveredDays(day, rules.workingDaysOnly, calendar), timeZone: tenant.timezone, calendar };
  for (const [i, source] of reminderSources.entries()) if (!morning.sources[i]) expect(await source.plan(input), names[i]).toEqual([]);
  const deps = { db, tenant, jwtSecret: "probe-test-secret", publicUrl: "http://qingdan.test", nationalCalendar: ports.calendar.current() };
  const shape = (plan: Awaited<ReturnType<typeof planTenantDigests>>) => plan.messages.map((m) => ({ to: m.memberId, subject: m.message.subject, items: m.items }));
  const probed = shape(await planTenantDigests(deps, day, { morning }));
  expect(probed).toEqual(shape(await planTenantDigests(deps, day, { morning: everySource(morning) })));
  const running = names.filter((_, i) => morning.sources[i]);
  return { running, digests: probed.length, cleanups: { files: morning.abandonedFiles, attempts: morning.expiredAttempts } };
}

describe("the planning's probe", () => {
  it("runs the task sources alone for a bureau with tasks only, planning what every source would", async () => {
    clock = new Date("2026-12-24T01:00:00Z");
    const b = await bureauWithChecklist(api);
    await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
    const seen = await probeAt(b.t.tenant.id, clock);
    expect(seen.running).toEqual(["tasks", "summary"]);
    expect(seen.digests).toBeGreaterThan(0);
    expect(seen.cleanups).toEqual({ files: false, attempts: false });
  }, 60_000);

  it("problemsPossible asks for unresolved problems: every status the overdue query reads as unacknowledged is among them", () => {
    for (const status of unacknowledgedStatuses) expect(unresolvedStatuses as readonly string[]).toContain(status);
  });

  it("runs the problems' source once a problem is open, and plans the same as without the probe", async () => {
    clock = new Date("2026-11-02T02:00:00Z");
    const p = await projectBureau(api);
    expect((await probeAt(p.t.tenant.id, new Date("2026-11-03T01:00:00Z"))).running).not.toContain("problems");
    await p.raise({ raisedAt: "2026-11-02T10:00:00+08:00" });
    const seen = await probeAt(p.t.tenant.id, new Date("2026-11-03T01:00:00Z"));
    expect(seen.running).toContain("problems");
    expect(seen.digests).toBeGreaterThan(0);
  }, 60_000);

  it("runs the pledges' source for an owed pledge and one awaiting review", async () => {
    clock = new Date("2026-12-17T01:00:00Z");
    const b = await pledgeBureau(api);
    expect((await probeAt(b.t.tenant.id, clock)).running).not.toContain("pledges");
    await approvedPledge(api, b, { year: 2026, dueDate: "2026-12-20" });
    const waiting = await api.post("/v1/pledges", pledgeBody({ year: 2026, dueDate: "2026-12-30", title: "为群众办实事十件" }), b.peer.accessToken);
    await api.post(`/v1/pledges/${waiting.body.id}/submit`, {}, b.peer.accessToken);
    const seen = await probeAt(b.t.tenant.id, clock);
    expect(seen.running).toContain("pledges");
    expect(seen.digests).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("runs the exams' source while a published paper is open, not after it closed", async () => {
    clock = new Date("2026-06-01T01:00:00Z");
    const b = await examBureau(api);
    await publishedPaper(api, b, { title: "第一支部党章测试", branchId: b.branch.id, opensAt: "2026-06-01T00:00:00Z", closesAt: "2026-06-19T09:00:00Z" });
    const eve = await probeAt(b.t.tenant.id, new Date("2026-06-18T01:00:00Z"));
    expect(eve.running).toContain("exams");
    expect(eve.digests).toBeGreaterThanOrEqual(3);
    expect((await probeAt(b.t.tenant.id, new Date("2026-06-22T01:00:00Z"))).running).not.toContain("exams");
  }, 60_000);
});
