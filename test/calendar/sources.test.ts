import { describe, expect, it } from "vitest";
import { nextYear, pledgeBody } from "../pledges/fixture.js";
import { bureau } from "../projects/fixture.js";
import { apiForSuite } from "../support/suite.js";
import { readFeed } from "./fixture.js";

const api = apiForSuite();

describe("the feed beyond tasks", () => {
  it("carries the handler's problem clocks and the member's pledges in force", async () => {
    const p = await bureau(api);
    // A calendar-day category: its clock needs no holiday data.
    const problem = await p.raise({ title: "夜间施工噪声投诉", category: "safety" });
    const created = await api.post("/v1/pledges", pledgeBody({ title: "全年协调问题十个" }), p.handler.accessToken);
    await api.post(`/v1/pledges/${created.body.id}/submit`, {}, p.handler.accessToken);
    expect((await api.post(`/v1/pledges/${created.body.id}/approve`, {}, p.admin)).status).toBe(200);

    const feed = await api.post("/v1/me/calendar-feed", undefined, p.handler.accessToken);
    const { entries } = await readFeed(api.target, feed.body.url);
    const issue = entries.find((e) => e.uid === `${problem.id}@qingdan`)!;
    expect(issue.summary).toBe("【问题】夜间施工噪声投诉（签收截止）");
    expect(issue.start.isDate).toBe(true);
    expect(issue.description).toContain("地铁3号线配套道路");
    const pledge = entries.find((e) => e.uid === `${created.body.id}@qingdan`)!;
    expect(pledge.summary).toBe("【承诺】全年协调问题十个（截止）");
    expect(pledge.start.toString()).toBe(`${nextYear}-12-20`);
    expect(pledge.alarm).not.toBeNull();

    // Someone else's feed shows neither.
    const other = await api.post("/v1/me/calendar-feed", undefined, p.outsider.accessToken);
    const theirs = await readFeed(api.target, other.body.url);
    expect(theirs.entries.map((e) => e.uid)).not.toContain(`${problem.id}@qingdan`);
    expect(theirs.entries.map((e) => e.uid)).not.toContain(`${created.body.id}@qingdan`);
  });
});
