import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overduePledges, pledgesAwaitingReview } from "../../src/modules/pledges/overdue.js";
import { Api, expectProblem } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";
import { approvedPledge, bureau, type Bureau, openBoard, pledgeBody } from "../pledges/fixture.js";

/** Pledges on a clock the test moves: the tenant's midnight, and rate-limit windows that end. */
let target: NodeTarget;
let api: Api;
let now = new Date("2026-06-30T08:00:00Z"); // 16:00 in Shanghai
let b: Bureau;

beforeAll(async () => {
  // Access tokens outlive the days this clock travels.
  target = await startNodeTarget({ env: { ACCESS_TOKEN_SECONDS: "9999999" }, portsOverride: (ports) => ({ ...ports, now: () => now }) });
  api = new Api(target);
  b = await bureau(api);
}, 60_000);
afterAll(() => target.close());

const dbOf = (tenantId: string) => target.tenantDatabases.open(tenantId, `file:${target.dataDir}/tenants/${tenantId}.db`);
const clientOf = (tenantId: string) => target.tenantDatabases.client(tenantId, `file:${target.dataDir}/tenants/${tenantId}.db`);

describe("overdue in the tenant's calendar", () => {
  it("turns overdue at local midnight after the due date, not at UTC midnight", async () => {
    const id = await approvedPledge(api, b, { year: 2026, dueDate: "2026-06-30", title: "六月底前完成" });
    now = new Date("2026-06-30T15:59:00Z"); // 23:59 on the 30th in Shanghai
    expect((await api.get(`/v1/pledges/${id}`, b.member.accessToken)).body.overdue).toBe(false);
    now = new Date("2026-06-30T16:01:00Z"); // 00:01 on 1 July in Shanghai, still the 30th in UTC
    expect((await api.get(`/v1/pledges/${id}`, b.member.accessToken)).body.overdue).toBe(true);
    expect((await api.get("/v1/pledges?overdue=true", b.admin)).body.data.map((p: { id: string }) => p.id)).toEqual([id]);

    const db = dbOf(b.t.tenant.id);
    const overdue = await overduePledges({ db }, "2026-07-03");
    expect(overdue).toEqual([expect.objectContaining({ pledgeId: id, memberId: b.member.id, branchId: b.branch.id, title: "六月底前完成", dueDate: "2026-06-30", daysOverdue: 3 })]);
    expect(await overduePledges({ db }, "2026-06-30")).toEqual([]);
  });

  it("lists what awaits review with who may review it", async () => {
    const submitted = (await api.post("/v1/pledges", pledgeBody({ year: 2026, dueDate: "2026-12-01" }), b.peer.accessToken)).body.id;
    await api.post(`/v1/pledges/${submitted}/submit`, {}, b.peer.accessToken);
    const own = (await api.post("/v1/pledges", pledgeBody({ year: 2026, dueDate: "2026-12-01" }), b.secretary.accessToken)).body.id;
    await api.post(`/v1/pledges/${own}/submit`, {}, b.secretary.accessToken);
    const waiting = await pledgesAwaitingReview({ db: dbOf(b.t.tenant.id) });
    expect(waiting).toHaveLength(2);
    expect(waiting.find((w) => w.pledgeId === submitted)).toMatchObject({ memberId: b.peer.id, version: 1, submittedAt: now.toISOString(), reviewerIds: [b.secretary.id] });
    // The secretary's own pledge goes up the tree: nobody above leads a branch, so admins only.
    expect(waiting.find((w) => w.pledgeId === own)).toMatchObject({ memberId: b.secretary.id, reviewerIds: [] });
  });
});

describe("public rating windows", () => {
  it("lets a client rate the same pledge again once its day is over, and sweeps expired counters", async () => {
    await openBoard(api, b);
    now = new Date("2026-07-01T02:00:00Z");
    const id = await approvedPledge(api, b, { year: 2026, dueDate: "2026-12-31", publicDisplay: true });
    const me = { "x-forwarded-for": "192.0.2.44" };
    const rate = () => api.post(`/v1/public/${b.slug}/pledges/${id}/ratings`, { stars: 4 }, undefined, me);
    expect((await rate()).status).toBe(201);
    now = new Date("2026-07-02T01:59:59Z");
    const refused = await rate();
    expectProblem(refused, 429, "pledge.rate_limited");
    expect(refused.headers.get("retry-after")).toBe("1");
    now = new Date("2026-07-02T02:00:00Z");
    expect((await rate()).status).toBe(201);

    // The counters are keyed by a hash: no address is stored.
    const rows = await clientOf(b.t.tenant.id).execute("SELECT bucket, expires_at FROM pledge_rate_limits");
    expect(JSON.stringify(rows.rows)).not.toContain("192.0.2.44");
    now = new Date("2026-07-10T00:00:00Z");
    await api.post(`/v1/public/${b.slug}/pledges/${id}/ratings`, { stars: 4 }, undefined, { "x-forwarded-for": "192.0.2.45" });
    const left = await clientOf(b.t.tenant.id).execute("SELECT count(*) AS n FROM pledge_rate_limits");
    expect(Number(left.rows[0]!.n)).toBe(3); // only the three buckets of the last rating
  });

  it("counts concurrent attempts atomically: one of five simultaneous ratings gets in", async () => {
    now = new Date("2026-07-11T00:00:00Z");
    const id = await approvedPledge(api, b, { year: 2026, dueDate: "2026-12-31", publicDisplay: true });
    const me = { "x-forwarded-for": "192.0.2.77" };
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.post(`/v1/public/${b.slug}/pledges/${id}/ratings`, { stars: 5 }, undefined, me)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 429, 429, 429, 429]);
  });

  it("two peer ratings at once by the same member: one is kept", async () => {
    const id = await approvedPledge(api, b, { year: 2026, dueDate: "2026-12-31" });
    const replies = await Promise.all([1, 2, 3].map(() => api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 80 }, b.peer.accessToken)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});
