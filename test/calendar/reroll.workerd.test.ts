import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { describe, expect, inject, it } from "vitest";
import { parseCalendarJson } from "../../src/calendar/import-file.js";
import { importNationalYear } from "../../src/calendar/national-store.js";
import * as controlSchema from "../../src/db/control/schema.js";
import worker from "../../src/worker.js";
import { Api, unique } from "../support/api.js";
import { LIBSQL_TEST_TOKEN } from "../support/constants.js";
import { expectRerolled, provisionalBureau } from "./reroll-scenario.js";
// A test fixture, NOT the official 2027 arrangement (its `source` says so).
import fixture from "./fixtures/2027-NOT-OFFICIAL.json";

/**
 * Workers: the Worker inside workerd on a control database of its own (importing 2027 into the shared
 * one would change every other test file's 2027), the import over libSQL HTTP as `npm run calendar`
 * does against Turso, the cron's dispatch and the queue consumer called as Cloudflare calls them.
 */
describe("a year's official calendar arrives (Workers: libSQL over HTTP, cron → queue)", () => {
  it("re-rolls provisional open tasks and problem clocks, audits it, and tells members", async () => {
    const libsql = inject("libsqlUrl");
    const name = unique("control").toLowerCase().replace(/[^a-z0-9-]/g, "-");
    const created = await fetch(`${libsql}/admin/databases/${name}`, { method: "POST", headers: { authorization: `Bearer ${LIBSQL_TEST_TOKEN}`, "content-type": "application/json" }, body: "{}" });
    expect(created.status).toBe(201);
    const sent: unknown[] = [];
    const privateEnv = {
      ...env,
      CONTROL_DB_URL: `${libsql}/t/${name}/`,
      REMINDERS: { sendBatch: async (batch: { body: unknown }[]) => void sent.push(...batch.map((m) => m.body)), send: async (body: unknown) => void sent.push(body) },
    };
    const api = new Api({
      runtime: "workerd",
      fetch: async (path, init) => worker.fetch(new Request(`http://qingdan.test${path}`, init) as never, privateEnv as never, createExecutionContext()) as unknown as Response,
      close: async () => {},
    });

    const s = await provisionalBureau(api);
    const control = drizzle(createClient({ url: privateEnv.CONTROL_DB_URL, authToken: LIBSQL_TEST_TOKEN }), { schema: controlSchema });
    await importNationalYear(control, parseCalendarJson(JSON.stringify(fixture, null, 2)), new Date());

    const ctx = createExecutionContext();
    await worker.scheduled({ scheduledTime: Date.now() + 10 * 60_000, cron: "0 * * * *", noRetry() {} } as never, privateEnv as never, ctx);
    await waitOnExecutionContext(ctx);
    const jobs = sent.filter((b) => (b as { kind?: string }).kind === "calendar_reroll");
    expect(jobs).toContainEqual(expect.objectContaining({ tenantId: s.b.t.tenant.id }));
    const batch = createMessageBatch("qingdan-reminders", jobs.map((body, i) => ({ id: `r${i}`, timestamp: new Date(), attempts: 1, body })));
    const queueCtx = createExecutionContext();
    await worker.queue(batch as never, privateEnv as never, queueCtx);
    expect((await getQueueResult(batch, queueCtx)).explicitAcks).toHaveLength(jobs.length);

    await expectRerolled(api, s);
  }, 120_000);
});
