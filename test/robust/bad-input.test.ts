import { beforeAll, describe, expect, it } from "vitest";
import { reminderCategories } from "../../src/db/tenant/reminders.js";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";

/** Issue 11 §1, §2, §5: sizes before items, few field errors, objects are objects, text reads back as written. */
const api = apiForSuite();
let admin: string;
let member: string;
let branchId: string;

beforeAll(async () => {
  const t = await api.signUp();
  admin = t.accessToken;
  branchId = (await api.createBranch(admin, { name: "第一支部" })).id;
  member = (await api.addMember(admin, { branchId })).accessToken;
});

describe("a big array of wrong items", () => {
  it("is refused on its length, in a small answer, before any item is looked at", async () => {
    // ~1 MB: `{"mutedCategories":[1,1,…]}` once made a 57 MB answer (one error per item).
    const body = `{"mutedCategories":[${Array(520_000).fill("1").join(",")}]}`;
    expect(body.length).toBeGreaterThan(1_000_000);
    const reply = await api.call("PUT", "/v1/me/notifications", { rawBody: body, token: member });
    const problem = expectProblem(reply, 400, "validation.failed");
    // At most one entry per category there is: modules add categories (工作日志, 考试).
    expect(problem.errors).toEqual([{ path: "mutedCategories", message: `长度不能超过 ${reminderCategories.length}` }]);
    expect(JSON.stringify(reply.body).length).toBeLessThan(2_000);
  });

  it("refuses a huge string on its length before running the field's checks", async () => {
    const started = Date.now();
    const reply = await api.post("/v1/tenants", { slug: "x-huge", name: "某局", admin: { email: `${"a".repeat(1_000_000)}@x.cn`, name: "王", password: "Qingdan-2026-secure" } });
    expect(expectProblem(reply, 400, "validation.failed").errors).toEqual([{ path: "admin.email", message: "长度不能超过 254" }]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("lists at most 20 field errors and says how many it left out", async () => {
    const reply = await api.call("POST", "/v1/projects", { body: { name: "快速路", kind: "expressway", branchIds: Array(50).fill("br_bad") }, token: admin, headers: { "accept-language": "en" } });
    const problem = expectProblem(reply, 400, "validation.failed") as ReturnType<typeof expectProblem> & { errorsOmitted?: number };
    expect(problem.errors).toHaveLength(20);
    expect(problem.errors![0]!.path).toBe("branchIds.0");
    expect(problem.errorsOmitted).toBeGreaterThanOrEqual(30);
    expect(problem.detail).toMatch(/errors; the first 20 are listed/);
  });
});

describe("an array where an object belongs", () => {
  const cases = (): [string, string][] => [
    ["PATCH", "/v1/me"],
    ["PATCH", `/v1/branches/${branchId}`],
    ["PUT", "/v1/reminders/settings"],
  ];
  it("is a 400 with a field error, and nothing changes", async () => {
    const before = await api.auditCount(admin);
    for (const [method, path] of cases()) {
      const reply = await api.call(method, path, { rawBody: "[]", token: admin });
      const problem = expectProblem(reply, 400, "validation.failed");
      expect(problem.errors, `${method} ${path}`).toEqual([{ path: "", message: "应为对象，实际为数组" }]);
    }
    // Nested too: an object field given an array.
    const nested = await api.call("POST", "/v1/tenants", { rawBody: JSON.stringify({ slug: "x-array", name: "某局", admin: [] }) });
    expect(expectProblem(nested, 400).errors).toContainEqual({ path: "admin", message: "应为对象，实际为数组" });
    expect(await api.auditCount(admin)).toBe(before);
  });
});

describe("text", () => {
  const nameOf = async () => (await api.get("/v1/me", member)).body.member.name as string;

  it("refuses NUL, C0 controls, bidi overrides, broken characters and blank-looking names", async () => {
    const kept = await nameOf();
    for (const name of ["abc\u0000def", "abc\u0007", "\u202Eevil.exe", "a\u2066b", "\u200B\u200C\u200D", "\u3164", "\u2800 \uFEFF", "\u0301", "half\uD800", "two\nlines", "tab\there"]) {
      const reply = await api.patch("/v1/me", { name }, member);
      const problem = expectProblem(reply, 400, "validation.failed");
      expect(problem.errors?.map((e) => e.path), JSON.stringify(name)).toEqual(["name"]);
    }
    expect(await nameOf()).toBe(kept);
  });

  it("keeps newlines and tabs in long text, and what is stored reads back as written", async () => {
    const description = "第一段\r\n\t缩进的第二段\n第三段 👍🏽 e\u0301";
    const created = await api.post("/v1/checklists", { title: "2026年度学习清单", kind: "learning", year: 2026, description }, admin);
    expect(created.status).toBe(201);
    expect((await api.get(`/v1/checklists/${created.body.id}`, admin)).body.description).toBe(description);

    const withNul = await api.post("/v1/checklists", { title: "清单", kind: "learning", year: 2026, description: "abc\u0000def" }, admin);
    expect(expectProblem(withNul, 400).errors).toEqual([{ path: "description", message: expect.stringContaining("控制字符") }]);
    const bareCr = await api.post("/v1/checklists", { title: "清单", kind: "learning", year: 2026, description: "a\rb" }, admin);
    expect(expectProblem(bareCr, 400).errors?.[0]?.path).toBe("description");
    const ok = await api.patch("/v1/me", { name: "  王 小明  " }, member);
    expect(ok.status).toBe(200);
    expect(await nameOf()).toBe("王 小明");
  });
});
