import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import type { Reply as ApiResponse } from "../support/api.js";

// Issue 16 §10: one language per answer. An `Accept-Language: en` problem has no Chinese in its
// title, detail or field messages; a zh-CN one no English sentence (identifiers such as field
// names, codes and picklist values aside). And /openapi.json explains the rules a client must know.

const api = apiForSuite();
let admin: string;
let member: string;
let branchId: string;

beforeAll(async () => {
  const t = await api.signUp();
  admin = t.accessToken;
  const branch = await api.createBranch(admin, { name: "第一支部" });
  branchId = branch.id;
  member = (await api.addMember(admin, { branchId })).accessToken;
});

const CHINESE = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
/** An English sentence: three Latin words in a row (field names and codes are single tokens). */
const ENGLISH_SENTENCE = /[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/;

/** Bad requests across modules: not found, invalid fields, conflicts, forbidden. */
const badRequests = (): [string, string, unknown, () => string][] => [
  ["GET", "/v1/branches/br_00000000000000000000000000", undefined, () => admin],
  ["GET", "/v1/members/mem_00000000000000000000000000", undefined, () => admin],
  ["GET", "/v1/pledges/plg_00000000000000000000000000", undefined, () => admin],
  ["GET", "/v1/checklists/cl_00000000000000000000000000", undefined, () => admin],
  ["GET", "/v1/issues/iss_00000000000000000000000000", undefined, () => admin],
  ["GET", "/v1/checklists?year=0000", undefined, () => admin],
  ["POST", "/v1/branches", { name: "", kind: "nope", extra: 1 }, () => admin],
  ["POST", "/v1/branches", { name: "x\u202Ey", kind: "branch" }, () => admin],
  ["POST", "/v1/members", { email: "not-an-email", name: "某人", branchId: "br_x" }, () => admin],
  ["POST", "/v1/checklists", { title: "清单", kind: "task", year: 1999 }, () => admin],
  ["POST", "/v1/pledges", { year: 2026, title: "承诺", content: "内容", category: "work", targets: [{ title: "t", type: "quantity", amount: -1, unit: "个" }], dueDate: "2026-02-31" }, () => member],
  ["POST", "/v1/pledges", { year: 2026, title: "承诺", content: "内容", category: "work", dueDate: "2025-05-01" }, () => member],
  ["POST", "/v1/branches", { name: "新支部", kind: "branch" }, () => member],
  ["GET", "/v1/audit", undefined, () => member],
  ["GET", "/v1/reports/checklists?period=2026-Q5", undefined, () => admin],
  ["PATCH", "/v1/me", { name: 12 }, () => member],
  ["POST", "/v1/auth/login", { tenant: "no-such-bureau", email: "a@example.cn", password: "Whatever-123" }, () => ""],
];

const texts = (r: ApiResponse) => [r.body.title, r.body.detail, ...((r.body.errors ?? []) as { message: string }[]).map((e) => e.message)].filter((x): x is string => typeof x === "string");

describe("one language per answer (issue 16 §10)", () => {
  it("English answers carry no Chinese; Chinese answers no English sentence, nor the other half of a bilingual message", async () => {
    let checked = 0;
    for (const [method, path, body, token] of badRequests()) {
      for (const lang of ["en", "zh-CN"] as const) {
        const r = await api.call(method, path, { body, token: token() || undefined, headers: { "accept-language": lang } });
        expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${method} ${path}`).toBeLessThan(500);
        for (const text of texts(r)) {
          checked++;
          expect(text, `${lang} ${method} ${path}`).not.toContain(" / ");
          if (lang === "en") expect(text, `${method} ${path}`).not.toMatch(CHINESE);
          else expect(text, `${method} ${path}`).not.toMatch(ENGLISH_SENTENCE);
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe("/openapi.json explains the rules a client must know (issue 16 §10)", () => {
  it("handler ≠ supervisor, progress semantics, CSV by Accept, the 党小组 leader's powers", async () => {
    const doc = (await api.get("/openapi.json")).body;
    expect(doc.paths["/v1/projects/{id}/issues"].post.description).toMatch(/handler cannot be the supervisor/);
    expect(doc.paths["/v1/pledges/{id}/updates"].post.description).toMatch(/`amount` is an increment/);
    for (const path of ["/v1/reports/checklists", "/v1/reports/checklists/rankings", "/v1/reports/pledges", "/v1/reports/projects"]) {
      expect(doc.paths[path].get.description, path).toMatch(/Accept: text\/csv/);
    }
    expect(doc.paths["/v1/branches"].post.description).toMatch(/组长/);
  });
});
