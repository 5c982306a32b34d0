import { describe, expect, it } from "vitest";
import { bureau } from "../projects/fixture.js";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §4: 有人办、有人督 means two people — the handler never verifies or closes their own problem. */
describe("the handler does not verify or close", () => {
  it("a road chief who is also the handler resolves, but someone else must verify and close", async () => {
    const b = await bureau(api);
    const issue = await b.raise({ handlerId: b.roadChief.id, supervisorId: undefined });
    const chief = b.roadChief.accessToken;
    for (const step of ["acknowledge", "start"]) expect((await api.post(`/v1/issues/${issue.id}/${step}`, {}, chief)).status).toBe(200);
    expect((await api.post(`/v1/issues/${issue.id}/resolve`, { note: "已抬升" }, chief)).status).toBe(200);
    const detail = await api.get(`/v1/issues/${issue.id}`, chief);
    expect(detail.body.allowedActions).not.toContain("verify");
    expectProblem(await api.post(`/v1/issues/${issue.id}/verify`, { note: "自己验收" }, chief), 403, "issue.handler_cannot_verify");
    expect((await api.get(`/v1/issues/${issue.id}`, chief)).body.status).toBe("resolved");
  });

  it("with a supervisor, the supervisor verifies and closes; the handler still cannot close", async () => {
    const b = await bureau(api);
    const issue = await b.raise();
    const h = b.handler.accessToken;
    for (const step of ["acknowledge", "start"]) expect((await api.post(`/v1/issues/${issue.id}/${step}`, {}, h)).status).toBe(200);
    expect((await api.post(`/v1/issues/${issue.id}/resolve`, { note: "已抬升" }, h)).status).toBe(200);
    expect((await api.post(`/v1/issues/${issue.id}/verify`, { note: "现场复核" }, b.supervisor.accessToken)).status).toBe(200);
    expect((await api.post(`/v1/issues/${issue.id}/close`, {}, h)).status).toBe(403);
    expect((await api.post(`/v1/issues/${issue.id}/close`, {}, b.supervisor.accessToken)).status).toBe(200);
  });
});
