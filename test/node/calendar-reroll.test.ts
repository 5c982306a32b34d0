import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchCalendarRerolls } from "../../src/jobs/calendar-reroll.js";
import { runReminderJob } from "../../src/jobs/run-job.js";
import { runCalendarCli } from "../../src/platform/node/calendar-cli.js";
import { tenantJobQueue } from "../../src/platform/node/reminder-queue.js";
import { expectRerolled, provisionalBureau } from "../calendar/reroll-scenario.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

// The 2027 file is a test fixture, NOT the official arrangement (its `source` says so).
const FIXTURE = new URL("../calendar/fixtures/2027-NOT-OFFICIAL.json", import.meta.url).pathname;

let target: NodeTarget;
const api = new Api();
beforeAll(async () => {
  target = await startNodeTarget();
  api.target = target;
});
afterAll(() => target.close());

describe("a year's official calendar arrives (Node: npm run calendar, then the in-process job queue)", () => {
  it("re-rolls provisional open tasks and problem clocks, audits it, and tells members once", async () => {
    const s = await provisionalBureau(api);
    const quiet = { out: () => {}, err: () => {}, env: {} };
    expect(await runCalendarCli(["import", FIXTURE, "--db", `file:${join(target.dataDir, "control.db")}`], quiet)).toBe(0);

    // The sweep waits out the processes' calendar TTL, then sends one job per tenant through the queue.
    const queue = tenantJobQueue(target.ports, { backoffMs: 10 });
    const at = new Date(Date.now() + 10 * 60_000);
    expect(await dispatchCalendarRerolls(target.ports.control, at, async (jobs) => queue.enqueue(jobs))).toBeGreaterThanOrEqual(1);
    await queue.drained();
    await expectRerolled(api, s);
    // Told once: the digest that carried the lines marks them, and the next day's has none.
    await runReminderJob(target.ports, { tenantId: s.b.t.tenant.id, at: "2026-12-01T00:00:00Z" });
    expect(target.mail.find((m) => m.to === s.member.email && m.subject.includes("截止日期调整"))?.text).toContain("原定 2027-10-04");
    const nextDay = await api.get("/v1/reminders/preview?date=2026-12-02", s.b.admin);
    expect(JSON.stringify(nextDay.body)).not.toContain("截止日期调整");
    // Nothing is left to dispatch, and a second run would change nothing.
    expect(await dispatchCalendarRerolls(target.ports.control, at, async (jobs) => queue.enqueue(jobs))).toBe(0);
  });
});
