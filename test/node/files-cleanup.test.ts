import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runReminderJob } from "../../src/jobs/run-job.js";
import { expectProblem, STRONG_PASSWORD } from "../support/api.js";
import { nodeApiOnClock } from "../support/node-target.js";
import { jpeg } from "../files/fixtures.js";
import { upload } from "../files/upload.js";

/** Uploads never attached go a day later, in the tenant's daily job; attached ones stay. On a clock the test sets. */
let clock = new Date("2026-06-01T02:00:00Z");
const api = nodeApiOnClock(() => clock);

it("deletes an upload left unattached for a day, bytes and row, and keeps attached ones and younger ones", async () => {
  const t = await api.signUp();
  const branch = await api.createBranch(t.accessToken, { name: "第一支部" });
  const project = (await api.post("/v1/projects", { name: "人民路改造", kind: "metro_road", roadChiefId: t.member.id, branchIds: [branch.id], startDate: "2026-03-01" }, t.accessToken)).body;
  const abandoned = (await upload(api, t.accessToken, jpeg({ seed: 1 }))).body;
  const kept = (await upload(api, t.accessToken, jpeg({ seed: 2 }))).body;
  const logged = await api.post(`/v1/projects/${project.id}/logs`, { kind: "site_visit", visitedAt: "2026-06-01T09:00:00+08:00", summary: "现场", fileIds: [kept.id] }, t.accessToken);
  expect(logged.status, JSON.stringify(logged.body)).toBe(201);
  clock = new Date("2026-06-02T01:00:00Z");
  // A day on, the morning's access token has long expired: log in again.
  const token = (await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: STRONG_PASSWORD })).body.accessToken as string;
  const young = (await upload(api, token, jpeg({ seed: 3 }))).body;
  const onDisk = (id: string) => existsSync(join(api.target.dataDir, "files", t.tenant.id, id));
  expect([onDisk(abandoned.id), onDisk(kept.id), onDisk(young.id)]).toEqual([true, true, true]);
  const auditBefore = await api.auditCount(token);

  // 23 hours later nothing is old enough; 25 hours later the abandoned one goes.
  await runReminderJob(api.target.ports, { tenantId: t.tenant.id, at: "2026-06-02T01:00:00Z" });
  expect(onDisk(abandoned.id)).toBe(true);
  await runReminderJob(api.target.ports, { tenantId: t.tenant.id, at: "2026-06-02T03:00:00Z" });
  expect([onDisk(abandoned.id), onDisk(kept.id), onDisk(young.id)]).toEqual([false, true, true]);
  expectProblem(await api.get(`/v1/files/${abandoned.id}`, token), 404);
  expect((await api.get(`/v1/files/${kept.id}`, token)).status).toBe(200);
  expect((await api.get("/v1/files/usage", token)).body.fileCount).toBe(2);
  const audit = await api.get(`/v1/audit?entityType=file&entityId=${abandoned.id}`, token);
  expect(audit.body.data.map((a: any) => a.action)).toEqual(["file.expired_unattached", "file.uploaded"]);
  expect(await api.auditCount(token)).toBe(auditBefore + 1);
});
