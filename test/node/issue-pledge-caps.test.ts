import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_COMMENTS_PER_ISSUE } from "../../src/modules/issues/comments.js";
import { MAX_UPDATES_PER_PLEDGE, MAX_VERSIONS_PER_PLEDGE } from "../../src/modules/pledges/rules.js";
import { approvedPledge, bureau as pledgeBureau } from "../pledges/fixture.js";
import { bureau } from "../projects/fixture.js";
import { Api, expectProblem } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/** Issue 11 §6: what a member can add to a problem or a pledge stops at a cap (rows written straight into the file: hundreds of API calls would only be slower). */
let target: NodeTarget;
let api: Api;
beforeAll(async () => {
  target = await startNodeTarget();
  api = new Api(target);
});
afterAll(() => target.close());
const dbOf = (tenantId: string) => target.tenantDatabases.client(tenantId, `file:${target.dataDir}/tenants/${tenantId}.db`);

describe("caps", () => {
  it(`a problem takes ${MAX_COMMENTS_PER_ISSUE} comments, then 409`, async () => {
    const b = await bureau(api);
    const issue = await b.raise();
    await dbOf(b.t.tenant.id).batch(
      Array.from({ length: MAX_COMMENTS_PER_ISSUE - 1 }, (_, i) => ({
        sql: "INSERT INTO issue_comments (id, issue_id, author_id, body, created_at) VALUES (?, ?, ?, ?, '2026-06-01T00:00:00.000Z')",
        args: [`cmt_${String(i).padStart(26, "0")}`, issue.id, b.follower.id, `第${i + 1}条`],
      })),
    );
    expect((await api.post(`/v1/issues/${issue.id}/comments`, { body: "最后一条" }, b.follower.accessToken)).status).toBe(201);
    const before = await api.auditCount(b.admin);
    expectProblem(await api.post(`/v1/issues/${issue.id}/comments`, { body: "再一条" }, b.handler.accessToken), 409, "issue.too_many_comments");
    expect(await api.auditCount(b.admin)).toBe(before);
    expect((await api.get(`/v1/issues/${issue.id}`, b.handler.accessToken)).body.commentCount).toBe(MAX_COMMENTS_PER_ISSUE);
  });

  it(`a pledge takes ${MAX_UPDATES_PER_PLEDGE} progress updates, then 409`, async () => {
    const b = await pledgeBureau(api);
    const id = await approvedPledge(api, b);
    await dbOf(b.t.tenant.id).batch(
      Array.from({ length: MAX_UPDATES_PER_PLEDGE - 1 }, (_, i) => ({
        sql: "INSERT INTO pledge_updates (id, pledge_id, version, author_id, note, progress, attachments, created_at) VALUES (?, ?, 1, ?, ?, '[]', '[]', '2026-06-01T00:00:00.000Z')",
        args: [`plu_${String(i).padStart(26, "0")}`, id, b.member.id, `第${i + 1}次`],
      })),
    );
    expect((await api.post(`/v1/pledges/${id}/updates`, { note: "最后一次", progress: [{ targetId: "t1", amount: 1 }] }, b.member.accessToken)).status).toBe(201);
    const before = await api.auditCount(b.admin);
    expectProblem(await api.post(`/v1/pledges/${id}/updates`, { note: "再一次" }, b.member.accessToken), 409, "pledge.too_many_updates");
    expect(await api.auditCount(b.admin)).toBe(before);
    const all = await api.get(`/v1/pledges/${id}/updates?limit=200`, b.peer.accessToken);
    expect(all.body.data).toHaveLength(200);
    expect(all.body.nextCursor).toEqual(expect.any(String));
  });

  it(`a pledge is revised at most into ${MAX_VERSIONS_PER_PLEDGE} versions, then 409`, async () => {
    const b = await pledgeBureau(api);
    const id = await approvedPledge(api, b);
    // Superseded copies of version 1, numbered out of the way of the next real version.
    const db = dbOf(b.t.tenant.id);
    await db.execute("CREATE TEMP TABLE v AS SELECT * FROM pledge_versions WHERE 0");
    for (let n = 0; n < MAX_VERSIONS_PER_PLEDGE - 2; n++) {
      await db.batch([
        { sql: "DELETE FROM v", args: [] },
        { sql: "INSERT INTO v SELECT * FROM pledge_versions WHERE pledge_id = ? AND version = 1", args: [id] },
        { sql: "UPDATE v SET id = ?, version = ?, status = 'superseded'", args: [`plv_${String(n).padStart(26, "0")}`, 100 + n] },
        { sql: "INSERT INTO pledge_versions SELECT * FROM v", args: [] },
      ]);
    }
    const revised = await api.patch(`/v1/pledges/${id}`, { title: "第二版" }, b.member.accessToken);
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect((await api.post(`/v1/pledges/${id}/submit`, {}, b.member.accessToken)).status).toBe(200);
    expect((await api.post(`/v1/pledges/${id}/return`, { reason: "请修改" }, b.secretary.accessToken)).status).toBe(200);
    expectProblem(await api.patch(`/v1/pledges/${id}`, { title: "第三版" }, b.member.accessToken), 409, "pledge.too_many_versions");
    const versions = await api.get(`/v1/pledges/${id}/versions?limit=30`, b.member.accessToken);
    const rest = await api.get(`/v1/pledges/${id}/versions?limit=30&cursor=${versions.body.nextCursor}`, b.member.accessToken);
    expect(versions.body.data.length + rest.body.data.length).toBe(MAX_VERSIONS_PER_PLEDGE);
    expect(rest.body.nextCursor).toBeNull();
  });
});
