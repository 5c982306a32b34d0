import { describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { bureau } from "./fixture.js";

const api = apiForSuite();

/** Issue 11 §6: edits add history entries without bound, so a problem's page shows the newest 50 and a route pages through all. */
describe("a problem's history", () => {
  it("shows the newest 50 with a count, and pages through every entry oldest first", async () => {
    const b = await bureau(api);
    const issue = await b.raise();
    for (let n = 1; n <= 55; n++) expect((await api.patch(`/v1/issues/${issue.id}`, { title: `电信人孔井需抬升（第${n}次修改）` }, b.roadChief.accessToken)).status).toBe(200);
    const page = await api.get(`/v1/issues/${issue.id}`, b.follower.accessToken);
    expect(page.body.historyCount).toBe(56);
    expect(page.body.history.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 7));
    // A write answers the same window, its own entry last.
    const step = await api.post(`/v1/issues/${issue.id}/acknowledge`, {}, b.handler.accessToken);
    expect(step.body.historyCount).toBe(57);
    expect(step.body.history).toHaveLength(50);
    expect(step.body.history.at(-1)).toMatchObject({ seq: 57, action: "acknowledged" });

    const first = await api.get(`/v1/issues/${issue.id}/history?limit=40`, b.follower.accessToken);
    expect(first.status).toBe(200);
    expect(first.body.data[0]).toMatchObject({ seq: 1, action: "raised", files: [] });
    const second = await api.get(`/v1/issues/${issue.id}/history?limit=40&cursor=${first.body.nextCursor}`, b.follower.accessToken);
    expect([...first.body.data, ...second.body.data].map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 57 }, (_, i) => i + 1));
    expect(second.body.nextCursor).toBeNull();

    expectProblem(await api.get(`/v1/issues/${issue.id}/history?cursor=WyJ4Il0`, b.follower.accessToken), 400, "validation.failed");
    expectProblem(await api.get(`/v1/issues/${issue.id}/history`, b.outsider.accessToken), 404, "issue.not_found");
  });
});
