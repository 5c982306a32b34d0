import { describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { approvedPledge, bureau } from "./fixture.js";

const api = apiForSuite();

/** Issue 11 §6: a pledge's updates, versions and evaluations come a page at a time. */
describe("a pledge's lists page", () => {
  it("pages progress updates oldest first, each with the percent it brought", async () => {
    const b = await bureau(api);
    const id = await approvedPledge(api, b);
    for (let n = 1; n <= 5; n++) expect((await api.post(`/v1/pledges/${id}/updates`, { note: `第${n}次`, progress: [{ targetId: "t1", amount: 1 }] }, b.member.accessToken)).status).toBe(201);
    const seen: { note: string; percent: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: { body: any } = await api.get(`/v1/pledges/${id}/updates?limit=2${cursor ? `&cursor=${cursor}` : ""}`, b.outsider.accessToken);
      expect(reply.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.data);
      cursor = reply.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((u) => u.note)).toEqual(["第1次", "第2次", "第3次", "第4次", "第5次"]);
    // Percents count every update before the page, not only the page's.
    const whole = (await api.get(`/v1/pledges/${id}/updates`, b.member.accessToken)).body.data;
    expect(seen.map((u) => u.percent)).toEqual(whole.map((u: { percent: number }) => u.percent));
    expect(new Set(seen.map((u) => u.percent)).size).toBe(5);
    expect((await api.get(`/v1/pledges/${id}`, b.member.accessToken)).body.progress.updateCount).toBe(5);

    expectProblem(await api.get(`/v1/pledges/${id}/updates?cursor=WyJwbHVfbm9uZSJd`, b.member.accessToken), 400, "validation.failed");
    expectProblem(await api.get(`/v1/pledges/${id}/updates?limit=0`, b.member.accessToken), 400, "validation.failed");
  });

  it("pages versions and evaluations", async () => {
    const b = await bureau(api);
    const id = await approvedPledge(api, b);
    expect((await api.patch(`/v1/pledges/${id}`, { title: "第二版" }, b.member.accessToken)).status).toBe(200);
    const v1 = await api.get(`/v1/pledges/${id}/versions?limit=1`, b.member.accessToken);
    const v2 = await api.get(`/v1/pledges/${id}/versions?limit=1&cursor=${v1.body.nextCursor}`, b.member.accessToken);
    expect([...v1.body.data, ...v2.body.data].map((x: { version: number }) => x.version)).toEqual([1, 2]);
    expect(v2.body.nextCursor).toBeNull();
    // Others see only versions that were in force.
    expect((await api.get(`/v1/pledges/${id}/versions`, b.outsider.accessToken)).body).toMatchObject({ data: [{ version: 1 }], nextCursor: null });

    for (const token of [b.peer.accessToken, b.peer2.accessToken]) expect((await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 90 }, token)).status).toBe(201);
    const e1 = await api.get(`/v1/pledges/${id}/evaluations?limit=1`, b.secretary.accessToken);
    const e2 = await api.get(`/v1/pledges/${id}/evaluations?limit=1&cursor=${e1.body.nextCursor}`, b.secretary.accessToken);
    expect([...e1.body.data, ...e2.body.data].map((e: { evaluatorId: string }) => e.evaluatorId).sort()).toEqual([b.peer.id, b.peer2.id].sort());
    expect(e2.body.nextCursor).toBeNull();
  });
});
