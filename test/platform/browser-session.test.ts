import { confirmSignup } from "../support/mail.js";
import { describe, expect, it } from "vitest";
import { STRONG_PASSWORD, expectProblem, unique } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();
const COOKIE = { "qingdan-session": "cookie" };

/** `qd_refresh=<value>` and its attributes from a Set-Cookie header. */
function refreshCookie(headers: Headers) {
  const line = (headers as Headers & { getSetCookie(): string[] }).getSetCookie().find((c) => c.startsWith("qd_refresh="));
  if (!line) return undefined;
  const [pair = "", ...attrs] = line.split(/;\s*/);
  return { value: pair.slice("qd_refresh=".length), attrs: attrs.map((a: string) => a.toLowerCase()) };
}

describe("browser sessions: the refresh token in an HttpOnly cookie", () => {
  it("login with the session header sets the cookie and leaves the token out of the body; refresh and logout read the cookie", async () => {
    const { tenant, member } = await api.signUp();
    const login = await api.post("/v1/auth/login", { tenant: tenant.slug, email: member.email, password: STRONG_PASSWORD }, undefined, COOKIE);
    expect(login.status).toBe(200);
    expect(login.body.accessToken).toBeTypeOf("string");
    expect(login.body).not.toHaveProperty("refreshToken");
    const cookie = refreshCookie(login.headers)!;
    expect(cookie.value).toMatch(/.{20,}/);
    expect(cookie.attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/v1/auth"]));
    expect(cookie.attrs.find((a: string) => a.startsWith("max-age="))).toMatch(/^max-age=\d{6,}$/);

    const refreshed = await api.call("POST", "/v1/auth/refresh", { body: {}, headers: { ...COOKIE, cookie: `qd_refresh=${cookie.value}` } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty("refreshToken");
    const rotated = refreshCookie(refreshed.headers)!;
    expect(rotated.value).not.toBe(cookie.value);
    expect((await api.get("/v1/me", refreshed.body.accessToken)).status).toBe(200);

    // The old cookie is spent: presenting it again is refused, and the answer clears the cookie.
    const reused = await api.call("POST", "/v1/auth/refresh", { body: {}, headers: { ...COOKIE, cookie: `qd_refresh=${cookie.value}` } });
    expectProblem(reused, 401);
    expect(refreshCookie(reused.headers)).toMatchObject({ value: "", attrs: expect.arrayContaining(["max-age=0"]) });
  });

  it("logout with the cookie revokes it and clears it", async () => {
    const { tenant, member } = await api.signUp();
    const login = await api.post("/v1/auth/login", { tenant: tenant.slug, email: member.email, password: STRONG_PASSWORD }, undefined, COOKIE);
    const cookie = refreshCookie(login.headers)!;
    const out = await api.call("POST", "/v1/auth/logout", { body: {}, headers: { ...COOKIE, cookie: `qd_refresh=${cookie.value}` } });
    expect(out.status).toBe(204);
    expect(refreshCookie(out.headers)).toMatchObject({ value: "", attrs: expect.arrayContaining(["max-age=0"]) });
    expectProblem(await api.call("POST", "/v1/auth/refresh", { body: {}, headers: { ...COOKIE, cookie: `qd_refresh=${cookie.value}` } }), 401, "auth.invalid_token");
  });

  it("invitation accept and signup put the session in the cookie too", async () => {
    const slug = unique("bureau");
    const signup = await api.post("/v1/tenants", { slug, name: "某市交通局", admin: { email: `admin@${slug}.example.cn`, name: "王局长", password: STRONG_PASSWORD } }, undefined, COOKIE);
    expect(signup.status).toBe(201);
    expect(signup.body).not.toHaveProperty("refreshToken");
    expect(refreshCookie(signup.headers)?.value).toMatch(/.{20,}/);
    await confirmSignup(api, `admin@${slug}.example.cn`);

    const invited = await api.post("/v1/members", { email: `${unique("m")}@example.cn`, name: "李党员", role: "member" }, signup.body.accessToken);
    expect(invited.status).toBe(201);
    const accepted = await api.post("/v1/invitations/accept", { token: invited.body.invitation.token, password: STRONG_PASSWORD }, undefined, COOKIE);
    expect(accepted.status).toBe(200);
    expect(accepted.body).not.toHaveProperty("refreshToken");
    expect(refreshCookie(accepted.headers)?.value).toMatch(/.{20,}/);
  });

  it("API clients without the header keep JSON tokens, and refresh with neither body token nor cookie is 401", async () => {
    const { tenant, member } = await api.signUp();
    const login = await api.post("/v1/auth/login", { tenant: tenant.slug, email: member.email, password: STRONG_PASSWORD });
    expect(login.body.refreshToken).toBeTypeOf("string");
    expect(refreshCookie(login.headers)).toBeUndefined();
    const refreshed = await api.post("/v1/auth/refresh", { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toBeTypeOf("string");
    expectProblem(await api.post("/v1/auth/refresh", {}), 401, "auth.invalid_token");
  });
});

describe("cross-site writes are refused", () => {
  it("a write whose Origin is another site is 403 and changes nothing; same origin and no Origin pass", async () => {
    const { tenant, member, accessToken } = await api.signUp();
    const before = await api.auditCount(accessToken);
    const evil = await api.call("POST", "/v1/branches", { body: { name: "外站支部", kind: "branch" }, token: accessToken, headers: { origin: "https://evil.example" } });
    expectProblem(evil, 403, "request.cross_site");
    const fetchMeta = await api.call("POST", "/v1/auth/login", { body: { tenant: tenant.slug, email: member.email, password: STRONG_PASSWORD }, headers: { "sec-fetch-site": "cross-site" } });
    expectProblem(fetchMeta, 403, "request.cross_site");
    expect(await api.auditCount(accessToken)).toBe(before);

    // The origin the request arrives at (app.request on Node, SELF.fetch in workerd).
    const ownOrigin = api.target.runtime === "node" ? "http://localhost" : "http://qingdan.test";
    const same = await api.call("POST", "/v1/branches", { body: { name: "本站支部", kind: "branch" }, token: accessToken, headers: { origin: ownOrigin, "sec-fetch-site": "same-origin" } });
    expect(same.status).toBe(201);
    // Reads are never refused: a link from another site may open a page.
    expect((await api.call("GET", "/v1/me", { token: accessToken, headers: { origin: "https://evil.example" } })).status).toBe(200);
  });

  it("answers in English when asked", async () => {
    const reply = await api.call("POST", "/v1/auth/login", { body: {}, headers: { origin: "https://evil.example", "accept-language": "en" } });
    expect(expectProblem(reply, 403, "request.cross_site").title).toBe("Writes from another site are refused");
  });
});
