import { expect, it } from "vitest";
import { type Api, expectProblem } from "./api.js";

/**
 * The checks every authenticated route must pass, generated from a route table: no credentials,
 * too small a role, another tenant's admin on this tenant's ids, and hostile bodies. Each must answer
 * a problem+json 4xx and change nothing (the audit log, which every change writes, stays put).
 */

export type Role = "member" | "secretary" | "admin";
export interface RouteCase {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  body?: Record<string, unknown>;
  /** The least role that may call it; lower roles get 403. */
  minRole: Role;
  /** Names an object of this tenant: another tenant's admin must get 404 for it. */
  ownsId?: boolean;
  /** What a lower role gets: 403, or 404 where the object is invisible to them (a draft, another branch's task). */
  deniedWith?: Partial<Record<Role, 403 | 404>>;
  /** Body fields whose wrong type or huge size the route must refuse (default: every top-level field). */
  fields?: string[];
}

export interface SecurityFixture {
  api: Api;
  routes: RouteCase[];
  tokens: Record<Role, string>;
  /** An admin of another tenant. */
  foreignAdmin: string;
  /** Words of this tenant's data that must never appear in an answer to the other tenant. */
  secrets?: RegExp;
}

const rank: Record<Role, number> = { member: 0, secretary: 1, admin: 2 };

export function securityMatrix(fixture: () => SecurityFixture) {
  const call = (r: RouteCase, token?: string, body: unknown = r.body) => fixture().api.call(r.method, r.path, { token, body });
  const audit = () => fixture().api.auditCount(fixture().tokens.admin);

  it("answers 401 problem+json without credentials or with a bad token", async () => {
    for (const r of fixture().routes) {
      expectProblem(await call(r), 401);
      expectProblem(await call(r, "Bearer-nonsense"), 401);
      expectProblem(await call(r, "qd_ten_00000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401);
    }
  });

  it("answers 403 (or 404 for what it may not see) to a role below the route's, and changes nothing", async () => {
    const before = await audit();
    for (const r of fixture().routes) {
      for (const role of ["member", "secretary"] as const) {
        if (rank[role] >= rank[r.minRole]) continue;
        const denied = r.deniedWith?.[role] ?? 403;
        expectProblem(await call(r, fixture().tokens[role]), denied, denied === 403 ? "auth.forbidden" : undefined);
      }
    }
    expect(await audit()).toBe(before);
  });

  it("answers a plain 404 to another tenant's admin for this tenant's ids, reading and writing nothing", async () => {
    const before = await audit();
    const { secrets, foreignAdmin, tokens } = fixture();
    for (const r of fixture().routes.filter((x) => x.ownsId)) {
      const reply = await call(r, foreignAdmin);
      expectProblem(reply, 404);
      if (secrets) expect(JSON.stringify(reply.body)).not.toMatch(secrets);
    }
    expect(await audit()).toBe(before);
    for (const r of fixture().routes.filter((x) => x.ownsId && x.method === "GET")) expect((await call(r, tokens.admin)).status).toBe(200);
  });

  it("answers 4xx problem+json with field paths to hostile bodies, and changes nothing", async () => {
    const before = await audit();
    const admin = fixture().tokens.admin;
    for (const r of fixture().routes.filter((x) => x.body)) {
      const body = r.body!;
      expectProblem(await fixture().api.call(r.method, r.path, { token: admin, rawBody: "{not json" }), 400, "request.malformed_json");
      expectProblem(await call(r, admin, [body]), 400, "validation.failed");
      expectProblem(await call(r, admin, "a string"), 400, "validation.failed");
      const unknown = expectProblem(await call(r, admin, { ...body, isAdmin: true }), 400, "validation.failed");
      expect(unknown.errors).toContainEqual(expect.objectContaining({ path: "isAdmin" }));
      for (const field of r.fields ?? Object.keys(body)) {
        for (const bad of [12345, "长".repeat(100_000), { $gt: "" }]) {
          const problem = expectProblem(await call(r, admin, { ...body, [field]: bad }), 400, "validation.failed");
          expect(problem.errors!.map((e) => e.path.split(".")[0])).toContain(field);
        }
      }
    }
    expect(await audit()).toBe(before);
  });
}
