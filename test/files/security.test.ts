import { beforeAll, describe } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { jpeg } from "./fixtures.js";
import { upload } from "./upload.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

/**
 * The files routes. The file is the admin's own upload (an unattached file is its uploader's alone,
 * which test/files/files.test.ts covers by person); uploads take bytes, not JSON, so the hostile-JSON
 * checks do not apply to POST (files.test.ts sends it executables, lies and oversize bodies instead).
 */
const api = apiForSuite();
beforeAll(async () => {
  const t = await api.signUp();
  const secretary = await api.addMember(t.accessToken, { role: "secretary" });
  const member = await api.addMember(t.accessToken);
  const file = (await upload(api, t.accessToken, jpeg({ seed: 7 }), { type: "image/jpeg", name: "现场照片.jpg" })).body;
  tokens = { admin: t.accessToken, secretary: secretary.accessToken, member: member.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  routes = [
    { method: "POST", path: "/v1/files", minRole: "member" },
    { method: "GET", path: "/v1/files/usage", minRole: "member" },
    { method: "GET", path: `/v1/files/${file.id}`, minRole: "member", ownsId: true },
    { method: "GET", path: `/v1/files/${file.id}/info`, minRole: "member", ownsId: true },
  ];
});

describe("files: security matrix", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /现场照片/ }));
});
