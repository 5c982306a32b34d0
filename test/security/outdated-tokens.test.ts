import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { TEST_JWT_SECRETS } from "../support/constants.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §1 / ADR 0004: an access token from before session versions (no `sv`) is refused, with its own code. */
describe("access tokens without a session version", () => {
  it("are refused 401 auth.token_outdated on reads and writes, and change nothing", async () => {
    const t = await api.signUp();
    const secret = api.target.runtime === "node" ? TEST_JWT_SECRETS.node : TEST_JWT_SECRETS.workerd;
    const iat = Math.floor(Date.now() / 1000);
    const old = await sign({ sub: t.member.id, tid: t.tenant.id, role: "admin", iat, exp: iat + 900, typ: "access" }, secret, "HS256");
    const before = await api.auditCount(t.accessToken);
    expectProblem(await api.get("/v1/me", old), 401, "auth.token_outdated");
    expectProblem(await api.post("/v1/branches", { name: "旧令牌支部", kind: "branch" }, old), 401, "auth.token_outdated");
    expectProblem(await api.post("/v1/api-tokens", { name: "旧令牌" }, old), 401, "auth.token_outdated");
    expect(await api.auditCount(t.accessToken)).toBe(before);
    // The same claims with a version pass: the code is about the missing version, not the rest.
    const current = await sign({ sub: t.member.id, tid: t.tenant.id, role: "admin", sv: 0, iat, exp: iat + 900, typ: "access" }, secret, "HS256");
    expect((await api.get("/v1/me", current)).status).toBe(200);
    // Signed with another secret it is simply invalid.
    const forged = await sign({ sub: t.member.id, tid: t.tenant.id, role: "admin", iat, exp: iat + 900, typ: "access" }, `${secret}-other`, "HS256");
    expectProblem(await api.get("/v1/me", forged), 401, "auth.invalid_token");
  });
});
