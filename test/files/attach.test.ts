import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { bureau } from "../projects/fixture.js";
import { docx, jpeg } from "./fixtures.js";
import { download, upload } from "./upload.js";

const api = apiForSuite();
let foreign: string;
beforeAll(async () => {
  foreign = (await api.signUp()).accessToken;
});

describe("task records: photos as evidence", () => {
  let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
  const taskOf = async (token: string, query: string) => (await api.get(`/v1/tasks?limit=200&${query}`, token)).body.data as any[];
  beforeAll(async () => {
    b = await bureauWithChecklist(api);
    expect((await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);
  });

  it("meets the evidence rule with an uploaded photo, readable by the task's people and the reviewer only", async () => {
    const [january] = await taskOf(b.m1.accessToken, "dueBefore=2026-02-02");
    expect(january).toMatchObject({ title: "主题党日", evidenceRequired: true });
    await api.post(`/v1/tasks/${january.id}/records`, { doneOn: "2026-01-30", summary: "开展主题党日" }, b.m1.accessToken);
    expectProblem(await api.post(`/v1/tasks/${january.id}/submit`, {}, b.m1.accessToken), 409, "task.evidence_missing");

    const photo = (await upload(api, b.m1.accessToken, jpeg({ seed: 301 }), { type: "image/jpeg", name: "主题党日合影.jpg" })).body;
    const record = await api.post(`/v1/tasks/${january.id}/records`, { doneOn: "2026-01-30", summary: "补充现场照片", fileIds: [photo.id] }, b.m1.accessToken);
    expect(record.status).toBe(201);
    expect(record.body.files).toEqual([expect.objectContaining({ id: photo.id, name: "主题党日合影.jpg", sha256: photo.sha256, reusedFrom: null, url: expect.stringMatching(/^\/v1\/files\//) })]);
    expect((await api.post(`/v1/tasks/${january.id}/submit`, {}, b.m1.accessToken)).body.status).toBe("submitted");

    // The reviewer reads the task and opens the photo through the URL in it, with no token.
    const seen = await api.get(`/v1/tasks/${january.id}`, b.admin);
    const ref = seen.body.records.find((r: any) => r.id === record.body.id).files[0];
    expect((await download(api, ref.url)).status).toBe(200);
    expect((await download(api, `/v1/files/${photo.id}`, b.m2.accessToken)).status).toBe(200);
    expect((await api.get(`/v1/files/${photo.id}/info`, b.m1.accessToken)).body.attached).toBe(true);
    // Another 支部's member and secretary, and another tenant, see nothing.
    for (const token of [b.m3.accessToken, b.sec2.accessToken, foreign]) expectProblem(await api.get(`/v1/files/${photo.id}`, token), 404, "file.not_found");
  });

  it("attaches only one's own uploads, at most 9, each once", async () => {
    const [, february] = await taskOf(b.m1.accessToken, "dueBefore=2026-03-31&checklistId=" + b.checklist.id);
    const mine = (await upload(api, b.m1.accessToken, jpeg({ seed: 302 }))).body;
    const theirs = (await upload(api, b.m2.accessToken, jpeg({ seed: 303 }))).body;
    const before = await api.auditCount(b.admin);
    const refused = expectProblem(await api.post(`/v1/tasks/${february.id}/records`, { doneOn: "2026-02-20", summary: "x", fileIds: [mine.id, theirs.id] }, b.m1.accessToken), 400, "validation.failed");
    expect(refused.errors).toEqual([expect.objectContaining({ path: "fileIds.1" })]);
    expect(expectProblem(await api.post(`/v1/tasks/${february.id}/records`, { doneOn: "2026-02-20", summary: "x", fileIds: [mine.id, mine.id] }, b.m1.accessToken), 400).errors![0]!.path).toBe("fileIds");
    const ten = Array.from({ length: 10 }, () => mine.id);
    expect(expectProblem(await api.post(`/v1/tasks/${february.id}/records`, { doneOn: "2026-02-20", summary: "x", fileIds: ten }, b.m1.accessToken), 400).errors![0]!.path).toBe("fileIds");
    expect(await api.auditCount(b.admin)).toBe(before);
    // Still unattached: only its uploader reads it.
    expectProblem(await api.get(`/v1/files/${mine.id}`, b.admin), 404);
  });

  it("flags the same photo offered as evidence for a second record (reusedFrom)", async () => {
    const [, february] = await taskOf(b.m1.accessToken, "dueBefore=2026-03-31&checklistId=" + b.checklist.id);
    const bytes = jpeg({ seed: 304 });
    const first = (await upload(api, b.m1.accessToken, bytes)).body;
    const firstRecord = (await api.post(`/v1/tasks/${february.id}/records`, { doneOn: "2026-02-20", summary: "二月主题党日", fileIds: [first.id] }, b.m1.accessToken)).body;
    expect(firstRecord.files[0].reusedFrom).toBeNull();
    const [march] = await taskOf(b.m1.accessToken, "dueAfter=2026-03-01&dueBefore=2026-04-30&checklistId=" + b.checklist.id);
    const again = (await upload(api, b.m2.accessToken, bytes, { name: "三月.jpg" })).body;
    const second = await api.post(`/v1/tasks/${march.id}/records`, { doneOn: "2026-03-20", summary: "三月主题党日", fileIds: [again.id] }, b.m2.accessToken);
    expect(second.body.files[0].reusedFrom).toEqual({ entityType: "task_record", entityId: firstRecord.id });
    const reviewed = await api.get(`/v1/tasks/${march.id}`, b.admin);
    expect(reviewed.body.records[0].files[0].reusedFrom).toEqual({ entityType: "task_record", entityId: firstRecord.id });
  });
});

describe("project logs: photos stay with an append-only ledger", () => {
  it("shows a log's photos to whoever sees the project, and a correction leaves the old entry's photos", async () => {
    const b = await bureau(api);
    const before = (await upload(api, b.roadChief.accessToken, jpeg({ seed: 401 }), { name: "人孔井-整改前.jpg" })).body;
    const log = await api.post(`/v1/projects/${b.project.id}/logs`, { kind: "site_visit", visitedAt: "2026-06-15T09:30:00+08:00", summary: "现场查看人孔井", fileIds: [before.id] }, b.roadChief.accessToken);
    expect(log.status).toBe(201);
    expect(log.body.files.map((f: any) => f.id)).toEqual([before.id]);
    const correction = await api.post(`/v1/projects/${b.project.id}/logs`, { kind: "site_visit", visitedAt: "2026-06-15T09:30:00+08:00", summary: "现场查看人孔井（更正时间）", correctsId: log.body.id, correctionReason: "记录有误" }, b.roadChief.accessToken);
    expect(correction.status).toBe(201);
    const old = await api.get(`/v1/projects/${b.project.id}/logs/${log.body.id}`, b.secretary.accessToken);
    expect(old.body).toMatchObject({ current: false, files: [expect.objectContaining({ id: before.id })] });
    const list = await api.get(`/v1/projects/${b.project.id}/logs`, b.admin);
    expect(list.body.data.find((l: any) => l.id === log.body.id).files).toHaveLength(1);
    expect((await download(api, old.body.files[0].url)).status).toBe(200);
    expect((await download(api, `/v1/files/${before.id}`, b.secretary.accessToken)).status).toBe(200);
    for (const token of [b.outsider.accessToken, b.otherSecretary.accessToken, foreign]) expectProblem(await api.get(`/v1/files/${before.id}`, token), 404, "file.not_found");
  });
});

describe("checklist items: guidance documents", () => {
  it("hands the bureau's 指导手册 to members once the checklist is published", async () => {
    const b = await bureauWithChecklist(api);
    const manual = (await upload(api, b.admin, docx(), { name: "党务工作指导手册.docx" })).body;
    const item = await api.post(`/v1/checklists/${b.checklist.id}/items`, { module: "组织生活", title: "三会一课", dueDate: "2026-12-15", assignees: [{ type: "each_member" }], guidanceFileIds: [manual.id] }, b.admin);
    expect(item.status).toBe(201);
    expect(item.body.guidanceFiles).toEqual([expect.objectContaining({ id: manual.id, name: "党务工作指导手册.docx" })]);
    expectProblem(await api.get(`/v1/files/${manual.id}`, b.m1.accessToken), 404);
    expect((await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);
    const read = await api.get(`/v1/checklists/${b.checklist.id}`, b.m1.accessToken);
    const ref = read.body.items.find((i: any) => i.id === item.body.id).guidanceFiles[0];
    const got = await download(api, ref.url);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-disposition")).toContain("filename*=UTF-8''%E5%85%9A%E5%8A%A1");
    expectProblem(await api.get(`/v1/files/${manual.id}`, foreign), 404);
    // Replacing the guidance: the new document is shown, the old one is the admin's alone again.
    const v2 = (await upload(api, b.admin, docx(), { name: "指导手册（修订版）.docx" })).body;
    const patched = await api.patch(`/v1/checklists/${b.checklist.id}/items/${item.body.id}`, { guidanceFileIds: [v2.id] }, b.admin);
    expect(patched.body.guidanceFiles.map((f: any) => f.id)).toEqual([v2.id]);
    expectProblem(await api.get(`/v1/files/${manual.id}`, b.m1.accessToken), 404);
    expect((await download(api, `/v1/files/${v2.id}`, b.m1.accessToken)).status).toBe(200);
  });
});
