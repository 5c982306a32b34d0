import { beforeAll, describe, expect, it } from "vitest";
import { signedFileUrl } from "../../src/modules/files/signing.js";
import { expectProblem } from "../support/api.js";
import { TEST_FILE_QUOTA_BYTES, TEST_JWT_SECRETS } from "../support/constants.js";
import { apiForSuite } from "../support/suite.js";
import { docx, exe, jpeg, pdf, png, xlsx } from "./fixtures.js";
import { download, lazyBody, sha256Hex, upload } from "./upload.js";

const api = apiForSuite();
let t: Awaited<ReturnType<typeof api.signUp>>;
let admin: string;
let member: { id: string; accessToken: string };
let other: { id: string; accessToken: string };
let foreign: Awaited<ReturnType<typeof api.signUp>>;

beforeAll(async () => {
  t = await api.signUp();
  admin = t.accessToken;
  member = await api.addMember(admin, { name: "钱党员" });
  other = await api.addMember(admin, { name: "孙党员" });
  foreign = await api.signUp();
});

describe("upload", () => {
  it("keeps a phone photo (raw body): type from the bytes, size and orientation from the header, taken time from EXIF", async () => {
    const photo = jpeg({ width: 4032, height: 3024, orientation: 6, taken: "2026:05:12 09:30:00", offset: "+08:00", size: 20_000 });
    const reply = await upload(api, member.accessToken, photo, { type: "image/jpeg", name: "主题党日现场.jpg" });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ name: "主题党日现场.jpg", contentType: "image/jpeg", kind: "photo", size: 20_000, width: 3024, height: 4032, takenAt: "2026-05-12T01:30:00.000Z", uploadedBy: member.id, attached: false });
    expect(reply.body.id).toMatch(/^file_[0-9A-Z]{26}$/);
    expect(reply.body.sha256).toBe(await sha256Hex(photo));
    expect(reply.body.url).toMatch(new RegExp(`^/v1/files/${reply.body.id}\\?`));
    // Without a recorded offset the camera's clock is read in the tenant's zone (Asia/Shanghai).
    expect((await upload(api, member.accessToken, jpeg({ taken: "2026:05:12 09:30:00" }))).body.takenAt).toBe("2026-05-12T01:30:00.000Z");
  });

  it("takes multipart/form-data from a browser, and every accepted document type", async () => {
    const sheet = await upload(api, member.accessToken, pdf(), { multipart: true, type: "application/pdf", name: "会议签到表.pdf" });
    expect(sheet.status).toBe(201);
    expect(sheet.body).toMatchObject({ name: "会议签到表.pdf", contentType: "application/pdf", kind: "document", width: null, takenAt: null });
    expect((await upload(api, member.accessToken, docx(), { multipart: true, name: "指导手册.docx" })).body.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect((await upload(api, member.accessToken, xlsx(), { name: "台账.xlsx" })).body.contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const shot = await upload(api, member.accessToken, png({ width: 1170, height: 2532 }), { multipart: true, type: "image/png", name: "截图.png" });
    expect(shot.body).toMatchObject({ contentType: "image/png", width: 1170, height: 2532 });
  });

  it("names a file by its bytes: a HEIC name on a JPEG compressed in the browser becomes .jpg", async () => {
    const reply = await upload(api, member.accessToken, jpeg({ seed: 9 }), { multipart: true, type: "image/jpeg", name: "IMG_0001.HEIC" });
    expect(reply.body.name).toBe("IMG_0001.jpg");
  });

  it("answers 415 to an executable named photo.png, to bytes that contradict the declared type, and to text", async () => {
    expectProblem(await upload(api, member.accessToken, exe(), { type: "image/png", name: "photo.png" }), 415, "file.unsupported_type");
    expectProblem(await upload(api, member.accessToken, exe(), { multipart: true, type: "image/png", name: "photo.png" }), 415, "file.unsupported_type");
    expectProblem(await upload(api, member.accessToken, jpeg({ seed: 5 }), { type: "image/png" }), 415, "file.unsupported_type");
    const html = new TextEncoder().encode("<!doctype html><script>alert(1)</script>".padEnd(5000, " "));
    expectProblem(await upload(api, member.accessToken, html, { type: "image/jpeg" }), 415, "file.unsupported_type");
    expectProblem(await upload(api, member.accessToken, new Uint8Array(0), { type: "image/jpeg" }), 400);
  });

  it("answers 413 to a photo over 10 MB without reading the rest of it", async () => {
    const total = 40 * 1024 * 1024;
    const { stream, state } = lazyBody(jpeg({ size: 8192 }), total);
    const res = await api.target.fetch("/v1/files", { method: "POST", headers: { authorization: `Bearer ${member.accessToken}`, "content-type": "image/jpeg" }, body: stream, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("file.too_large");
    expect(state.pulled).toBeLessThan(20 * 1024 * 1024);
  });

  it("answers 507 when the bureau's quota is full, and reports usage", async () => {
    const bureau = await api.signUp();
    const before = await api.get("/v1/files/usage", bureau.accessToken);
    expect(before.body).toEqual({ usedBytes: 0, fileCount: 0, quotaBytes: TEST_FILE_QUOTA_BYTES });
    const third = Math.floor(TEST_FILE_QUOTA_BYTES / 3);
    for (let i = 0; i < 3; i++) expect((await upload(api, bureau.accessToken, jpeg({ size: third, seed: 100 + i }))).status).toBe(201);
    const full = expectProblem(await upload(api, bureau.accessToken, jpeg({ size: 4096, seed: 200 })), 507, "file.quota_exceeded");
    expect(full.title).toBe("本单位的文件存储空间已满");
    expect((await api.get("/v1/files/usage", bureau.accessToken)).body).toEqual({ usedBytes: 3 * third, fileCount: 3, quotaBytes: TEST_FILE_QUOTA_BYTES });
  });
});

describe("download", () => {
  let photo: Uint8Array;
  let file: any;
  beforeAll(async () => {
    photo = jpeg({ size: 30_000, seed: 42 });
    file = (await upload(api, member.accessToken, photo, { type: "image/jpeg", name: "井盖 整改后.jpg" })).body;
  });

  it("serves the uploader the same bytes, as what they are, never sniffed, with the Chinese name", async () => {
    const got = await download(api, `/v1/files/${file.id}`, member.accessToken);
    expect(got.status).toBe(200);
    expect(await sha256Hex(got.bytes)).toBe(file.sha256);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-disposition")).toBe(`inline; filename="__ ___.jpg"; filename*=UTF-8''%E4%BA%95%E7%9B%96%20%E6%95%B4%E6%94%B9%E5%90%8E.jpg`);
    expect(got.headers.get("content-security-policy")).toContain("sandbox");
    const doc = (await upload(api, member.accessToken, pdf(), { name: "整改报告.pdf" })).body;
    expect((await download(api, `/v1/files/${doc.id}`, member.accessToken)).headers.get("content-disposition")).toMatch(/^attachment; /);
  });

  it("answers 404 to everyone else while the file is unattached: another member, the admin, another tenant", async () => {
    expectProblem(await api.get(`/v1/files/${file.id}`, other.accessToken), 404, "file.not_found");
    expectProblem(await api.get(`/v1/files/${file.id}`, admin), 404, "file.not_found");
    expectProblem(await api.get(`/v1/files/${file.id}/info`, admin), 404, "file.not_found");
    expectProblem(await api.get(`/v1/files/${file.id}`, foreign.accessToken), 404, "file.not_found");
  });

  it("serves a signed URL without a token while it lasts, and refuses a tampered or expired one", async () => {
    const byUrl = await download(api, file.url);
    expect(byUrl.status).toBe(200);
    expect(await sha256Hex(byUrl.bytes)).toBe(file.sha256);
    const info = await api.get(`/v1/files/${file.id}/info`, member.accessToken);
    expect(Date.parse(info.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(info.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const url = new URL(file.url, "http://x");
    const tampered = new URL(url);
    tampered.searchParams.set("m", other.id);
    expectProblem(await api.get(tampered.pathname + tampered.search), 403, "file.link_invalid");
    // The same URL made out to someone else's file id does not open it either.
    const otherFile = (await upload(api, other.accessToken, jpeg({ seed: 77 }))).body;
    expectProblem(await api.get(`/v1/files/${otherFile.id}${url.search}`), 403, "file.link_invalid");

    const secret = TEST_JWT_SECRETS[api.target.runtime];
    const grant = { tenantId: t.tenant.id, memberId: member.id, role: "member" as const, fileId: file.id };
    const old = await signedFileUrl(secret, grant, new Date(Date.now() - 16 * 60_000));
    expectProblem(await api.get(old.url), 403, "file.link_expired");
    const fresh = await signedFileUrl(secret, grant, new Date());
    expect((await download(api, fresh.url)).status).toBe(200);
    // A URL made for another tenant's member names a tenant whose key space holds no such file.
    const foreignGrant = await signedFileUrl(secret, { ...grant, tenantId: foreign.tenant.id, memberId: foreign.member.id, role: "admin" }, new Date());
    expectProblem(await api.get(foreignGrant.url), 404, "file.not_found");
  });

  it("stops a signed URL when its member is disabled", async () => {
    const leaver = await api.addMember(admin, { name: "调离人员" });
    const mine = (await upload(api, leaver.accessToken, jpeg({ seed: 55 }))).body;
    expect((await download(api, mine.url)).status).toBe(200);
    expect((await api.patch(`/v1/members/${leaver.id}`, { status: "disabled" }, admin)).status).toBe(200);
    expectProblem(await api.get(mine.url), 404, "file.not_found");
  });
});
