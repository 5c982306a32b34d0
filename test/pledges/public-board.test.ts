import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, unique } from "../support/api.js";
import { approvedPledge, bureau, openBoard, pledgeBody, put } from "./fixture.js";

const api = apiForSuite();

const board = (slug: string, query = "") => api.get(`/v1/public/${slug}/pledges${query}`);
/** A client address per call site, so tests never share rate-limit buckets. */
const client = () => ({ "x-forwarded-for": `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
const rate = (slug: string, id: string, stars: number, headers: Record<string, string>) => api.post(`/v1/public/${slug}/pledges/${id}/ratings`, { stars }, undefined, headers);

describe("the public board", () => {
  it("is closed until the bureau opens it, and an unknown bureau is a plain 404", async () => {
    const b = await bureau(api);
    await approvedPledge(api, b, { publicDisplay: true });
    expectProblem(await board(b.slug), 404, "public_board.not_found");
    expectProblem(await board(unique("nobody")), 404, "public_board.not_found");
    expectProblem(await board("Not_A_Slug"), 400, "validation.failed");
    await openBoard(api, b);
    expect((await board(b.slug)).status).toBe(200);
    await openBoard(api, b, { publicBoard: false });
    expectProblem(await board(b.slug), 404, "public_board.not_found");
  });

  it("lists only approved pledges whose owners consent, with names as the bureau chooses and no ids of people or branches", async () => {
    const b = await bureau(api);
    await openBoard(api, b, { publicNames: "surname" });
    const shown = await approvedPledge(api, b, { publicDisplay: true, title: "窗口服务零投诉" });
    const notConsenting = await approvedPledge(api, b, { title: "未同意公开的承诺" });
    const draft = (await api.post("/v1/pledges", pledgeBody({ publicDisplay: true, title: "草稿承诺" }), b.member.accessToken)).body.id;
    const compound = await approvedPledge(api, b, { publicDisplay: true, title: "示范岗" }, b.peer2.accessToken);
    // A revision in progress does not reach the public: they see the version in force.
    await api.patch(`/v1/pledges/${shown}`, { title: "修订中的标题" }, b.member.accessToken);

    const listed = await board(b.slug);
    expect(listed.status).toBe(200);
    expect(listed.body.bureau).toEqual({ name: "某市住建局", ratingsOpen: true });
    const byId = new Map(listed.body.data.map((p: { id: string }) => [p.id, p]));
    expect([...byId.keys()].sort()).toEqual([shown, compound].sort());
    expect(byId.get(shown)).toMatchObject({ name: "钱**", branchName: "第一支部", title: "窗口服务零投诉", status: "in_progress", overdue: false, rating: { count: 0, averageStars: null } });
    expect(byId.get(compound)).toMatchObject({ name: "欧阳**" });
    const text = JSON.stringify(listed.body);
    for (const secret of [b.member.id, b.peer2.id, b.branch.id, b.committee.id, "钱小明", "未同意公开", "草稿承诺", "修订中", notConsenting, draft]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/mem_|br_/);

    await openBoard(api, b, { publicNames: "full" });
    expect((await board(b.slug)).body.data.find((p: { id: string }) => p.id === shown).name).toBe("钱小明");
    await openBoard(api, b, { publicNames: "hidden" });
    const hidden = await board(b.slug);
    expect(hidden.body.data.every((p: { name: string | null }) => p.name === null)).toBe(true);
    expect(JSON.stringify(hidden.body)).not.toMatch(/钱|欧阳/);

    // The member withdraws consent: gone from the board, and its page too.
    await put(api, `/v1/pledges/${shown}/public-display`, { publicDisplay: false }, b.member.accessToken);
    expect((await board(b.slug)).body.data.map((p: { id: string }) => p.id)).toEqual([compound]);
    expectProblem(await api.get(`/v1/public/${b.slug}/pledges/${shown}`), 404, "pledge.not_found");
    expectProblem(await api.get(`/v1/public/${b.slug}/pledges/${draft}`), 404, "pledge.not_found");
    // Only the owner gives consent.
    expectProblem(await put(api, `/v1/pledges/${compound}/public-display`, { publicDisplay: false }, b.admin), 403, "auth.forbidden");

    // A member who leaves the bureau leaves the board.
    await api.patch(`/v1/members/${b.peer2.id}`, { status: "disabled" }, b.admin);
    expect((await board(b.slug)).body.data).toEqual([]);
  });

  it("shows one pledge's progress as numbers, never the notes", async () => {
    const b = await bureau(api);
    await openBoard(api, b);
    const id = await approvedPledge(api, b, { publicDisplay: true });
    await api.post(`/v1/pledges/${id}/updates`, { note: "内部情况说明：某某单位配合不力", progress: [{ targetId: "t1", amount: 5 }], attachments: [{ url: "https://intranet.example.cn/a.pdf" }] }, b.member.accessToken);
    const page = await api.get(`/v1/public/${b.slug}/pledges/${id}`);
    expect(page.status).toBe(200);
    expect(page.body.progress).toMatchObject({ percent: 25, updateCount: 1 });
    expect(page.body.progress.trend.map((p: { percent: number }) => p.percent)).toEqual([25]);
    expect(JSON.stringify(page.body)).not.toMatch(/内部情况|intranet/);
  });

  it("never shows one bureau's pledges under another's slug", async () => {
    const a = await bureau(api);
    const b = await bureau(api);
    await openBoard(api, a);
    await openBoard(api, b);
    const ofA = await approvedPledge(api, a, { publicDisplay: true, title: "甲局的承诺" });
    const ofB = await approvedPledge(api, b, { publicDisplay: true, title: "乙局的承诺" });
    expect((await board(a.slug)).body.data.map((p: { id: string }) => p.id)).toEqual([ofA]);
    expect((await board(b.slug)).body.data.map((p: { id: string }) => p.id)).toEqual([ofB]);
    expectProblem(await api.get(`/v1/public/${b.slug}/pledges/${ofA}`), 404, "pledge.not_found");
    expectProblem(await rate(b.slug, ofA, 5, client()), 404, "pledge.not_found");
    expect(JSON.stringify((await board(b.slug)).body)).not.toContain("甲局");
  });

  it("filters and pages", async () => {
    const b = await bureau(api);
    await openBoard(api, b);
    const first = await approvedPledge(api, b, { publicDisplay: true, category: "service" });
    const second = await approvedPledge(api, b, { publicDisplay: true, kind: "model_post" });
    const page1 = await board(b.slug, "?limit=1");
    expect(page1.body.data.map((p: { id: string }) => p.id)).toEqual([second]);
    const page2 = await board(b.slug, `?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.data.map((p: { id: string }) => p.id)).toEqual([first]);
    expect(page2.body.nextCursor).toBeNull();
    expect((await board(b.slug, "?kind=model_post")).body.data.map((p: { id: string }) => p.id)).toEqual([second]);
    expect((await board(b.slug, "?category=service")).body.data.map((p: { id: string }) => p.id)).toEqual([first]);
    expectProblem(await board(b.slug, "?memberId=x"), 400, "validation.failed");
  });
});

describe("public ratings", () => {
  it("are taken only when the bureau allows them, once a day per client and pledge (429 with Retry-After)", async () => {
    const b = await bureau(api);
    await openBoard(api, b, { publicRatings: false });
    const id = await approvedPledge(api, b, { publicDisplay: true });
    const me = client();
    expectProblem(await rate(b.slug, id, 5, me), 403, "pledge.ratings_closed");

    await openBoard(api, b, { publicRatings: true });
    const first = await rate(b.slug, id, 5, me);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ pledgeId: id, stars: 5, rating: { count: 1, averageStars: 5 } });
    const again = await rate(b.slug, id, 1, me);
    expectProblem(again, 429, "pledge.rate_limited");
    const retryAfter = Number(again.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(23 * 3600);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    // Cloudflare's header names the client where there is one.
    expect((await rate(b.slug, id, 3, { "cf-connecting-ip": "203.0.113.7" })).body.rating).toEqual({ count: 2, averageStars: 4 });
    expectProblem(await rate(b.slug, id, 3, { "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" }), 429);
    // What a client writes in front of X-Forwarded-For does not make it someone else.
    const proxied = { "x-forwarded-for": "198.51.100.9" };
    expect((await rate(b.slug, id, 4, proxied)).status).toBe(201);
    expectProblem(await rate(b.slug, id, 4, { "x-forwarded-for": "1.2.3.4, 198.51.100.9" }), 429);
    // An IPv6 subscriber counts as its /64.
    expect((await rate(b.slug, id, 2, { "cf-connecting-ip": "2001:db8:1:2::10" })).status).toBe(201);
    expectProblem(await rate(b.slug, id, 2, { "cf-connecting-ip": "2001:db8:1:2:ffff::1" }), 429);

    expectProblem(await rate(b.slug, id, 6, client()), 400, "validation.failed");
    expectProblem(await api.post(`/v1/public/${b.slug}/pledges/${id}/ratings`, { stars: 4, name: "x" }, undefined, client()), 400, "validation.failed");

    // They count in the tenant: the average on the 0–100 scale.
    const detail = await api.get(`/v1/pledges/${id}`, b.member.accessToken);
    expect(detail.body.evaluations.public).toEqual({ count: 4, average: 70 });
    const listed = (await board(b.slug)).body.data[0];
    expect(listed.rating).toEqual({ count: 4, averageStars: 3.5 });
  });

  it("a client rates at most 30 pledges of a bureau an hour; a closed pledge takes none", async () => {
    const b = await bureau(api);
    await openBoard(api, b);
    const id = await approvedPledge(api, b, { publicDisplay: true });
    const me = client();
    // Unknown ids count against the client as well: probing costs.
    for (let i = 0; i < 30; i++) expect((await rate(b.slug, "plg_00000000000000000000000000", 5, me)).status).toBe(404);
    expectProblem(await rate(b.slug, id, 5, me), 429, "pledge.rate_limited");
    await api.post(`/v1/pledges/${id}/close`, { outcome: "fulfilled" }, b.secretary.accessToken);
    expectProblem(await rate(b.slug, id, 5, client()), 409, "pledge.closed");
  });
});
