import { execFile, spawn } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/**
 * Issue 11 §4: the server, `npm run reminders` and `npm run migrate` are separate processes on one
 * DATA_DIR. A write that meets another process's write lock waits for it instead of answering 500.
 */
let target: NodeTarget;
let api: Api;
let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
let tenantFile: string;

beforeAll(async () => {
  target = await startNodeTarget();
  api = new Api(target);
  b = await bureauWithChecklist(api);
  expect((await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);
  tenantFile = resolve(target.dataDir, "tenants", `${b.t.tenant.id}.db`);
}, 120_000);
afterAll(() => target.close());

const writes = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? api.patch("/v1/me", { name: `王局长${tag}${i}` }, b.admin) : api.post("/v1/branches", { name: `支部${tag}${i}`, kind: "branch", parentId: b.committee.id }, b.admin)));

describe("writes while another process holds the write lock", () => {
  it("wait for it and succeed", async () => {
    // Another process's write transaction, held for 300 ms (as a sweep's batch or a migration would).
    // It must be another process: libSQL waits for a lock synchronously, so a holder in this one could not commit.
    const holder = spawn(process.execPath, ["--input-type=module", "-e", HOLD_LOCK, `file:${tenantFile}`], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise((resolve) => holder.stdout.once("data", resolve));
    const statuses = (await Promise.all(writes(12, "a"))).map((reply) => reply.status);
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
  });
});

const HOLD_LOCK = `
import { createClient } from "@libsql/client";
const client = createClient({ url: process.argv[1] });
const tx = await client.transaction("write");
await tx.execute("UPDATE reminder_settings SET send_hour = send_hour");
process.stdout.write("locked\\n");
await new Promise((r) => setTimeout(r, 300));
await tx.commit();
client.close();
`;

describe("load with reminder sweeps running in other processes", () => {
  it("answers every write and every sweep succeeds", async () => {
    const run = promisify(execFile);
    const sweep = () =>
      run(process.execPath, ["--import", "tsx", "scripts/reminders.ts", "--tenant", b.t.tenant.slug, "--at", "2026-03-30T09:00:00+08:00"], {
        env: { ...process.env, DATA_DIR: target.dataDir, JWT_SECRET: "test-secret-test-secret-test-secret-0123" },
      }).then(() => 0, (error: { stderr?: string }) => {
        console.error(error.stderr);
        return 1;
      });
    const sweeps = Promise.all([sweep(), new Promise((r) => setTimeout(r, 400)).then(sweep), new Promise((r) => setTimeout(r, 800)).then(sweep)]);
    const statuses: number[] = [];
    const started = Date.now();
    // Writes in waves of 8 until the sweeps are over (at least 3 s).
    let done = false;
    sweeps.then(() => (done = true));
    // The app is called in-process (no socket), and a cached token leaves a request no I/O to wait on:
    // without a turn of the event loop between waves the sweeps' exits would never be seen.
    for (let wave = 0; !done || Date.now() - started < 3_000; wave++) {
      statuses.push(...(await Promise.all(writes(8, `w${wave}-`))).map((r) => r.status));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await sweeps).toEqual([0, 0, 0]);
    expect(statuses.length).toBeGreaterThan(40);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, 120_000);
});
