import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { type Bureau, bureau } from "./fixture.js";

let b: Bureau;
const api = apiForSuite();
beforeAll(async () => {
  b = await bureau(api);
});

const visit = (overrides: Record<string, unknown> = {}) => ({
  kind: "site_visit",
  visitedAt: "2026-06-15T09:30:00+08:00",
  endedAt: "2026-06-15T11:00:00+08:00",
  participantIds: [] as string[],
  otherParticipants: ["中铁某局项目经理", "中国电信钟山分公司"],
  summary: "现场查看人孔井抬升需求，约定三日内由电信派人对接",
  attachments: [{ name: "现场照片", url: "https://files.example.cn/p/1.jpg" }],
  location: { address: "人民路与凉都大道交叉口", lat: 26.59, lng: 104.83 },
  ...overrides,
});

describe("service logs", () => {
  it("the road chief appends a visit; it reads back with names, in the ledger, newest visit first", async () => {
    const first = await api.post(`/v1/projects/${b.project.id}/logs`, visit({ participantIds: [b.handler.id] }), b.roadChief.accessToken);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      kind: "site_visit",
      visitedAt: "2026-06-15T01:30:00.000Z",
      endedAt: "2026-06-15T03:00:00.000Z",
      participants: [{ id: b.handler.id, name: "吴承办" }],
      otherParticipants: ["中铁某局项目经理", "中国电信钟山分公司"],
      attachments: [{ name: "现场照片", url: "https://files.example.cn/p/1.jpg" }],
      location: { address: "人民路与凉都大道交叉口", lat: 26.59, lng: 104.83 },
      correctsId: null,
      correctedById: null,
      current: true,
      authorId: b.roadChief.id,
      authorName: "周路长",
      chain: [first.body.id],
    });
    const later = await api.post(`/v1/projects/${b.project.id}/logs`, visit({ kind: "phone_coordination", visitedAt: "2026-06-16T15:00:00+08:00", endedAt: null, summary: "电话协调区住建局" }), b.secretary.accessToken);
    expect(later.status).toBe(201);
    const list = await api.get(`/v1/projects/${b.project.id}/logs`, b.admin);
    expect(list.body.data.map((l: { id: string }) => l.id).slice(0, 2)).toEqual([later.body.id, first.body.id]);
    const one = await api.get(`/v1/projects/${b.project.id}/logs/${first.body.id}`, b.handler.accessToken);
    expectProblem(one, 404, "project.not_found"); // the handler has no problem on the project yet
  });

  it("who writes: admin, road chief, secretary over a partner branch; others may read (if part of the project) but not write", async () => {
    for (const token of [b.admin, b.roadChief.accessToken, b.secretary.accessToken]) expect((await api.post(`/v1/projects/${b.project.id}/logs`, visit(), token)).status).toBe(201);
    await b.raise();
    for (const token of [b.handler.accessToken, b.follower.accessToken, b.supervisor.accessToken]) {
      expectProblem(await api.post(`/v1/projects/${b.project.id}/logs`, visit(), token), 403, "auth.forbidden");
      expect((await api.get(`/v1/projects/${b.project.id}/logs`, token)).status).toBe(200);
    }
    for (const token of [b.outsider.accessToken, b.otherSecretary.accessToken]) {
      expectProblem(await api.post(`/v1/projects/${b.project.id}/logs`, visit(), token), 404, "project.not_found");
      expectProblem(await api.get(`/v1/projects/${b.project.id}/logs`, token), 404, "project.not_found");
    }
  });

  it("is append-only: no PATCH, PUT or DELETE; a correction is a new entry pointing at the old, and the chain shows both", async () => {
    const original = await api.post(`/v1/projects/${b.project.id}/logs`, visit({ summary: "现场查看（时间记错）" }), b.roadChief.accessToken);
    const path = `/v1/projects/${b.project.id}/logs/${original.body.id}`;
    const before = await api.auditCount(b.admin);
    expectProblem(await api.patch(path, { summary: "改" }, b.admin), 405, "log.append_only");
    expectProblem(await api.call("PUT", path, { body: { summary: "改" }, token: b.admin }), 405, "log.append_only");
    expectProblem(await api.delete(path, b.admin), 405, "log.append_only");
    expect(await api.auditCount(b.admin)).toBe(before);

    expect(expectProblem(await api.post(`/v1/projects/${b.project.id}/logs`, visit({ correctsId: original.body.id }), b.roadChief.accessToken), 400).errors![0]!.path).toBe("correctionReason");
    const fix = await api.post(`/v1/projects/${b.project.id}/logs`, visit({ visitedAt: "2026-06-15T14:30:00+08:00", endedAt: null, correctsId: original.body.id, correctionReason: "开始时间记错，应为下午" }), b.roadChief.accessToken);
    expect(fix.status).toBe(201);
    expect(fix.body).toMatchObject({ correctsId: original.body.id, correctionReason: "开始时间记错，应为下午", current: true, chain: [original.body.id, fix.body.id] });
    // Only the latest entry of a chain can be corrected: the chain never forks.
    expectProblem(await api.post(`/v1/projects/${b.project.id}/logs`, visit({ correctsId: original.body.id, correctionReason: "再改" }), b.roadChief.accessToken), 409, "log.already_corrected");
    const again = await api.post(`/v1/projects/${b.project.id}/logs`, visit({ summary: "第三版", correctsId: fix.body.id, correctionReason: "补充参与人" }), b.admin);
    expect(again.body.chain).toEqual([original.body.id, fix.body.id, again.body.id]);

    const old = await api.get(path, b.roadChief.accessToken);
    expect(old.body).toMatchObject({ summary: "现场查看（时间记错）", current: false, correctedById: fix.body.id, chain: [original.body.id, fix.body.id, again.body.id] });
    const ledger = await api.get(`/v1/projects/${b.project.id}/logs?limit=200`, b.roadChief.accessToken);
    const entries = new Map(ledger.body.data.map((l: { id: string }) => [l.id, l]));
    expect(entries.get(original.body.id)).toMatchObject({ current: false, correctedById: fix.body.id });
    expect(entries.get(fix.body.id)).toMatchObject({ current: false, correctsId: original.body.id, correctedById: again.body.id });
    expect(entries.get(again.body.id)).toMatchObject({ current: true, correctsId: fix.body.id });
    const current = await api.get(`/v1/projects/${b.project.id}/logs?current=true&limit=200`, b.roadChief.accessToken);
    const currentIds = current.body.data.map((l: { id: string }) => l.id);
    expect(currentIds).toContain(again.body.id);
    expect(currentIds).not.toContain(original.body.id);
    expect(currentIds).not.toContain(fix.body.id);
    const audit = await api.get(`/v1/audit?entityId=${fix.body.id}`, b.admin);
    expect(audit.body.data[0]).toMatchObject({ action: "project_log.corrected", before: { correctsId: original.body.id } });
  });

  it("refuses bad input with field paths: the future, an end before the start, unknown people, another project's entry", async () => {
    const post = (body: Record<string, unknown>) => api.post(`/v1/projects/${b.project.id}/logs`, body, b.roadChief.accessToken);
    const path = async (body: Record<string, unknown>) => expectProblem(await post(body), 400).errors![0]!.path;
    expect(await path(visit({ visitedAt: "2099-01-01T09:00:00+08:00", endedAt: null }))).toBe("visitedAt");
    expect(await path(visit({ endedAt: "2026-06-15T08:00:00+08:00" }))).toBe("endedAt");
    expect(await path(visit({ endedAt: "2026-06-30T08:00:00+08:00" }))).toBe("endedAt");
    expect(await path(visit({ visitedAt: "2026-06-15 9:30" }))).toBe("visitedAt");
    expect(await path(visit({ kind: "party" }))).toBe("kind");
    expect(await path(visit({ participantIds: [b.handler.id, "mem_00000000000000000000000000"] }))).toBe("participantIds.1");
    expect(await path(visit({ attachments: [{ url: "javascript:alert(1)" }] }))).toBe("attachments.0.url");
    expect(await path(visit({ location: { lat: 200 } }))).toBe("location.lat");
    expect(await path(visit({ summary: "   " }))).toBe("summary");
    const elsewhere = await api.post("/v1/projects", { name: "另一项目", kind: "other", roadChiefId: b.roadChief.id }, b.admin);
    const foreignEntry = await api.post(`/v1/projects/${elsewhere.body.id}/logs`, visit(), b.roadChief.accessToken);
    expect(await path(visit({ correctsId: foreignEntry.body.id, correctionReason: "x" }))).toBe("correctsId");
    expectProblem(await api.get(`/v1/projects/${b.project.id}/logs/${foreignEntry.body.id}`, b.roadChief.accessToken), 404, "log.not_found");
  });

  it("links the problems raised during a visit", async () => {
    const entry = await api.post(`/v1/projects/${b.project.id}/logs`, visit(), b.roadChief.accessToken);
    const issue = await b.raise({ logId: entry.body.id });
    const read = await api.get(`/v1/projects/${b.project.id}/logs/${entry.body.id}`, b.roadChief.accessToken);
    expect(read.body.issueIds).toEqual([issue.id]);
    expect((await api.get(`/v1/issues/${issue.id}`, b.roadChief.accessToken)).body.logId).toBe(entry.body.id);
    const elsewhere = await api.post("/v1/projects", { name: "他项目", kind: "other", roadChiefId: b.roadChief.id }, b.admin);
    const otherEntry = await api.post(`/v1/projects/${elsewhere.body.id}/logs`, visit(), b.roadChief.accessToken);
    const bad = await api.post(`/v1/projects/${b.project.id}/issues`, { title: "x", handlerId: b.handler.id, logId: otherEntry.body.id }, b.roadChief.accessToken);
    expect(expectProblem(bad, 400).errors![0]!.path).toBe("logId");
  });

  it("filters the ledger by kind and by tenant-local dates", async () => {
    const fresh = await api.post("/v1/projects", { name: "日志筛选", kind: "other", roadChiefId: b.roadChief.id }, b.admin);
    const logs = `/v1/projects/${fresh.body.id}/logs`;
    // 2026-07-01 00:30 in Shanghai is still 30 June in UTC: the date filter is the tenant's.
    await api.post(logs, visit({ kind: "inspection", visitedAt: "2026-07-01T00:30:00+08:00", endedAt: null }), b.roadChief.accessToken);
    await api.post(logs, visit({ kind: "coordination_meeting", visitedAt: "2026-06-30T23:30:00+08:00", endedAt: null }), b.roadChief.accessToken);
    expect((await api.get(`${logs}?from=2026-07-01&to=2026-07-31`, b.roadChief.accessToken)).body.data.map((l: { kind: string }) => l.kind)).toEqual(["inspection"]);
    expect((await api.get(`${logs}?kind=coordination_meeting`, b.roadChief.accessToken)).body.data).toHaveLength(1);
    const first = await api.get(`${logs}?limit=1`, b.roadChief.accessToken);
    const second = await api.get(`${logs}?limit=1&cursor=${first.body.nextCursor}`, b.roadChief.accessToken);
    expect([first.body.data[0].kind, second.body.data[0].kind]).toEqual(["inspection", "coordination_meeting"]);
  });
});
