import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { approvedPledge, bureau as pledgeBureau } from "../pledges/fixture.js";
import { bureau } from "../projects/fixture.js";
import { jpeg, png } from "./fixtures.js";
import { download, upload } from "./upload.js";

const api = apiForSuite();
let foreign: string;
beforeAll(async () => {
  foreign = (await api.signUp()).accessToken;
});

describe("problems: the before and after photos", () => {
  it("attaches photos to raise, resolve, return, verify and comments, readable by whoever sees the problem only", async () => {
    const b = await bureau(api);
    const before = (await upload(api, b.roadChief.accessToken, jpeg({ seed: 501 }), { name: "人孔井-整改前.jpg" })).body;
    const issue = await api.post(`/v1/projects/${b.project.id}/issues`, { title: "电信人孔井需抬升", handlerId: b.handler.id, supervisorId: b.supervisor.id, followerIds: [b.follower.id], fileIds: [before.id] }, b.roadChief.accessToken);
    expect(issue.status, JSON.stringify(issue.body)).toBe(201);
    expect(issue.body.history[0]).toMatchObject({ action: "raised", files: [expect.objectContaining({ id: before.id, name: "人孔井-整改前.jpg", reusedFrom: null })] });
    const id = issue.body.id as string;

    expect((await api.post(`/v1/issues/${id}/acknowledge`, {}, b.handler.accessToken)).status).toBe(200);
    const after = (await upload(api, b.handler.accessToken, jpeg({ seed: 502 }), { name: "整改后.jpg" })).body;
    const resolved = await api.post(`/v1/issues/${id}/resolve`, { note: "已抬升", fileIds: [after.id] }, b.handler.accessToken);
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.history.at(-1)).toMatchObject({ action: "resolved", files: [expect.objectContaining({ id: after.id })] });

    const still = (await upload(api, b.supervisor.accessToken, png({ seed: 503 }), { name: "仍不平整.png" })).body;
    const returned = await api.post(`/v1/issues/${id}/return`, { reason: "井盖仍高出路面", fileIds: [still.id] }, b.supervisor.accessToken);
    expect(returned.body.history.at(-1)).toMatchObject({ action: "returned", files: [expect.objectContaining({ id: still.id })] });
    const again = (await upload(api, b.handler.accessToken, jpeg({ seed: 504 }))).body;
    expect((await api.post(`/v1/issues/${id}/resolve`, { note: "重新调整", fileIds: [again.id] }, b.handler.accessToken)).status).toBe(200);
    const seen = (await upload(api, b.supervisor.accessToken, jpeg({ seed: 505 }))).body;
    const verified = await api.post(`/v1/issues/${id}/verify`, { fileIds: [seen.id] }, b.supervisor.accessToken);
    expect(verified.body.history.at(-1)).toMatchObject({ action: "verified", files: [expect.objectContaining({ id: seen.id })] });

    // A follower comments with a photo of the same bytes as the "before": flagged as reused.
    const copy = (await upload(api, b.follower.accessToken, jpeg({ seed: 501 }))).body;
    const comment = await api.post(`/v1/issues/${id}/comments`, { body: "这张是之前的照片", fileIds: [copy.id] }, b.follower.accessToken);
    expect(comment.status, JSON.stringify(comment.body)).toBe(201);
    expect(comment.body.files[0]).toMatchObject({ id: copy.id, reusedFrom: { entityType: "issue_event", entityId: expect.stringMatching(/^iev_/) } });
    const comments = await api.get(`/v1/issues/${id}/comments`, b.secretary.accessToken);
    expect(comments.body.data[0].files.map((f: any) => f.id)).toEqual([copy.id]);

    // The page's history carries every step's photos, with URLs that open without a token.
    const page = await api.get(`/v1/issues/${id}`, b.secretary.accessToken);
    expect(page.body.history.flatMap((e: any) => e.files.map((f: any) => f.id))).toEqual([before.id, after.id, still.id, again.id, seen.id]);
    expect((await download(api, page.body.history[0].files[0].url)).status).toBe(200);
    for (const file of [before, after, still, copy]) {
      for (const token of [b.handler.accessToken, b.follower.accessToken, b.secretary.accessToken, b.admin]) expect((await download(api, `/v1/files/${file.id}`, token)).status).toBe(200);
      // Another 支部 (its member and secretary) cannot see the problem, nor can another tenant.
      for (const token of [b.outsider.accessToken, b.otherSecretary.accessToken, foreign]) expectProblem(await api.get(`/v1/files/${file.id}`, token), 404, "file.not_found");
    }
  });

  it("attaches only one's own uploads, and a refused step changes nothing", async () => {
    const b = await bureau(api);
    const issue = await b.raise();
    expect((await api.post(`/v1/issues/${issue.id}/acknowledge`, {}, b.handler.accessToken)).status).toBe(200);
    const theirs = (await upload(api, b.roadChief.accessToken, jpeg({ seed: 510 }))).body;
    const auditBefore = await api.auditCount(b.admin);
    const refused = expectProblem(await api.post(`/v1/issues/${issue.id}/resolve`, { note: "已处理", fileIds: [theirs.id] }, b.handler.accessToken), 400, "validation.failed");
    expect(refused.errors).toEqual([expect.objectContaining({ path: "fileIds.0" })]);
    expect(expectProblem(await api.post(`/v1/issues/${issue.id}/comments`, { body: "x", fileIds: [theirs.id] }, b.follower.accessToken), 400).errors![0]!.path).toBe("fileIds.0");
    expect(await api.auditCount(b.admin)).toBe(auditBefore);
    expect((await api.get(`/v1/issues/${issue.id}`, b.handler.accessToken)).body.status).toBe("acknowledged");
    // A step that takes no photos refuses the field.
    expect(expectProblem(await api.post(`/v1/issues/${issue.id}/start`, { fileIds: [] }, b.handler.accessToken), 400).errors![0]!.path).toBe("fileIds");
    expectProblem(await api.get(`/v1/files/${theirs.id}`, b.handler.accessToken), 404);
  });
});

describe("pledges: photos on progress updates", () => {
  it("shows an update's photos to whoever may read the pledge, and to no other tenant", async () => {
    const b = await pledgeBureau(api);
    const id = await approvedPledge(api, b);
    const photo = (await upload(api, b.member.accessToken, jpeg({ seed: 520 }), { name: "协调现场.jpg" })).body;
    const update = await api.post(`/v1/pledges/${id}/updates`, { note: "协调解决围挡占道问题3个", progress: [{ targetId: "t1", amount: 3 }], fileIds: [photo.id] }, b.member.accessToken);
    expect(update.status, JSON.stringify(update.body)).toBe(201);
    expect(update.body.files).toEqual([expect.objectContaining({ id: photo.id, name: "协调现场.jpg", reusedFrom: null, url: expect.stringMatching(/^\/v1\/files\//) })]);
    // An approved pledge is read by the whole bureau (another 支部's member too), so are its photos.
    const listed = await api.get(`/v1/pledges/${id}/updates`, b.outsider.accessToken);
    expect(listed.body.data[0].files.map((f: any) => f.id)).toEqual([photo.id]);
    expect((await download(api, listed.body.data[0].files[0].url)).status).toBe(200);
    for (const token of [b.secretary.accessToken, b.peer.accessToken, b.outsider.accessToken]) expect((await download(api, `/v1/files/${photo.id}`, token)).status).toBe(200);
    expectProblem(await api.get(`/v1/files/${photo.id}`, foreign), 404, "file.not_found");

    // The same bytes offered again for a second update are flagged to the reviewer.
    const again = (await upload(api, b.member.accessToken, jpeg({ seed: 520 }))).body;
    const second = await api.post(`/v1/pledges/${id}/updates`, { note: "又协调2个", progress: [{ targetId: "t1", amount: 2 }], fileIds: [again.id] }, b.member.accessToken);
    expect(second.body.files[0].reusedFrom).toEqual({ entityType: "pledge_update", entityId: update.body.id });
  });

  it("attaches only the owner's own uploads, and only the owner reports", async () => {
    const b = await pledgeBureau(api);
    const id = await approvedPledge(api, b);
    const theirs = (await upload(api, b.peer.accessToken, jpeg({ seed: 530 }))).body;
    const refused = expectProblem(await api.post(`/v1/pledges/${id}/updates`, { note: "x", fileIds: [theirs.id] }, b.member.accessToken), 400, "validation.failed");
    expect(refused.errors).toEqual([expect.objectContaining({ path: "fileIds.0" })]);
    expect((await api.get(`/v1/pledges/${id}/updates`, b.member.accessToken)).body.data).toEqual([]);
    // Someone else's update on a pledge that is not theirs: 403 before the files are looked at.
    const mine = (await upload(api, b.peer.accessToken, jpeg({ seed: 531 }))).body;
    expect((await api.post(`/v1/pledges/${id}/updates`, { note: "x", fileIds: [mine.id] }, b.peer.accessToken)).status).toBe(403);
    expectProblem(await api.get(`/v1/files/${mine.id}`, b.member.accessToken), 404);
  });
});
