import { readSheet } from "read-excel-file/universal";
import writeXlsxFile from "write-excel-file/universal";
import { describe, expect, inject, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { type Api, expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import type { Target } from "../support/target.js";

const api = apiForSuite();

const HEADER = ["姓名", "拼音首字母", "手机号", "邮箱", "所在支部", "角色", "第二支部"];
const roleOf: Record<string, string> = { 党员: "member", 书记: "secretary", 管理员: "admin" };

/** 机关党委 → 第一党总支 → 第三党支部, and a second 第三党支部 under 第二党总支 (so the short name is ambiguous). */
async function bureau(api: Api) {
  const t = await api.signUp();
  const admin = t.accessToken;
  const root = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const general1 = await api.createBranch(admin, { name: "第一党总支", kind: "general_branch", parentId: root.id });
  const general2 = await api.createBranch(admin, { name: "第二党总支", kind: "general_branch", parentId: root.id });
  const third1 = await api.createBranch(admin, { name: "第三党支部", parentId: general1.id });
  const third2 = await api.createBranch(admin, { name: "第三党支部", parentId: general2.id });
  const community = await api.createBranch(admin, { name: "幸福社区党委", kind: "party_committee" });
  return { t, admin, root, general1, third1, third2, community };
}

/** A spreadsheet row → an import row, as the console maps its template (line = the row's line in the file). */
function toImportRow(cells: unknown[], line: number) {
  const [name, nameInitials, phone, email, branch, role, secondBranch] = cells.map((c) => (c === null || c === undefined || c === "" ? undefined : String(c)));
  return { line, name: name ?? "", nameInitials, phone, email, branch, role: role ? (roleOf[role] ?? role) : undefined, secondBranch };
}

/**
 * The sheet through a real .xlsx (written, then read back) where the runtime allows: write-excel-file
 * zips with a Web Worker, which workerd lacks, so there the same cells go to the API directly.
 */
async function xlsxRows(sheet: (string | null)[][]) {
  if (api.target.runtime === "workerd") return sheet.map((cells, i) => toImportRow(cells, i + 2));
  const blob = await writeXlsxFile([HEADER, ...sheet], { columns: HEADER.map(() => ({ width: 20 })) }).toBlob();
  const read = await readSheet(await blob.arrayBuffer());
  expect(read[0]).toEqual(HEADER);
  return read.slice(1).map((cells, i) => toImportRow(cells as unknown[], i + 2));
}

const phoneOf = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;

describe("bulk import", () => {
  it("reads 2,000 rows from an .xlsx, names a dozen bad ones by line and writes nothing, then imports the rest once", async () => {
    const b = await bureau(api);
    const sheet: (string | null)[][] = [];
    const bad = new Map<number, string>();
    for (let i = 0; i < 2000; i++) {
      const line = i + 2;
      const row: (string | null)[] = [`党员${i}`, "dy", phoneOf(i), i % 2 === 0 ? `p${i}@import.example.cn` : null, "机关党委/第一党总支/第三党支部", "党员", i % 10 === 0 ? "幸福社区党委" : null];
      const plant = (field: string, change: () => void) => {
        change();
        bad.set(line, field);
      };
      if (i === 17 || i === 404 || i === 1999) plant("phone", () => (row[2] = "1234567"));
      if (i === 33) plant("branch", () => (row[4] = "机关党委/第九党总支"));
      if (i === 250) plant("secondBranch", () => (row[6] = "不存在的社区"));
      if (i === 301 || i === 302) plant("branch", () => (row[4] = "第三党支部"));
      if (i === 700 || i === 1500) plant("phone", () => (row[2] = phoneOf(5)));
      if (i === 800) plant("phone", () => ((row[2] = null), (row[3] = null)));
      if (i === 901) plant("email", () => (row[3] = "not-an-email"));
      if (i === 1234) plant("role", () => (row[5] = "局长"));
      sheet.push(row);
    }
    expect(bad.size).toBe(12);
    const rows = await xlsxRows(sheet);
    expect(rows).toHaveLength(2000);

    const auditBefore = await api.auditCount(b.admin);
    const refused = expectProblem(await api.post("/v1/members/import", { rows }, b.admin), 400, "validation.failed");
    const lines = new Map<number, string>();
    for (const e of refused.errors!) {
      const [, index, field] = e.path.split(".");
      lines.set(rows[Number(index)]!.line, field!);
    }
    expect(new Map([...lines].sort((x, y) => x[0] - y[0]))).toEqual(new Map([...bad].sort((x, y) => x[0] - y[0])));
    // Problems found against the tenant's data say their line in words too.
    expect(refused.errors!.find((e) => e.path.endsWith("branch") && e.path.startsWith("rows.33."))?.message).toMatch(/^第 35 行/);
    expect(refused.errors!.find((e) => e.path.startsWith("rows.301."))?.message).toContain("不唯一");
    expect(refused.errors!.find((e) => e.path.startsWith("rows.17."))?.message).toBe("第 19 行：须为中国大陆手机号（11 位）");
    expect(refused.detail).toBe("12 行有误，未导入任何数据");
    expect(await api.auditCount(b.admin)).toBe(auditBefore);
    expect((await api.get("/v1/members?limit=200", b.admin)).body.data).toHaveLength(1);

    const good = rows.filter((r) => !bad.has(r.line));
    const dry = await api.post("/v1/members/import", { rows: good, dryRun: true, invite: false }, b.admin);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 1988, updated: 0, unchanged: 0 });
    expect(await api.auditCount(b.admin)).toBe(auditBefore);

    // Invitations for 1,988 people are the job queue's business; this test keeps its queue quiet.
    const imported = await api.post("/v1/members/import", { rows: good, invite: false }, b.admin);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ dryRun: false, created: 1988, updated: 0, unchanged: 0, invitationsQueued: 0 });
    expect(imported.body.rows[0]).toMatchObject({ line: 2, status: "created", invitation: "link" });
    const someone = await api.get(`/v1/members/${imported.body.rows[10].memberId}`, b.admin);
    expect(someone.body).toMatchObject({ name: "党员10", phone: phoneOf(10), email: "p10@import.example.cn", status: "invited", branchId: b.third1.id, secondBranchId: b.community.id, nameInitials: "dy" });

    // The same file again changes nothing; an edited row updates that member only.
    const again = await api.post("/v1/members/import", { rows: good }, b.admin);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 1988, invitationsQueued: 0 });
    const moved = good.map((r) => (r.line === 12 ? { ...r, branch: "第二党总支/第三党支部", name: "党员十", nameInitials: "dys" } : r));
    const edited = await api.post("/v1/members/import", { rows: moved, invite: false }, b.admin);
    expect(edited.body).toMatchObject({ created: 0, updated: 1, unchanged: 1987 });
    expect((await api.get(`/v1/members/${imported.body.rows[10].memberId}`, b.admin)).body).toMatchObject({ name: "党员十", branchId: b.third2.id, nameInitials: "dys" });
  }, 120_000);

  it("queues invitations for those it can reach and sends them from the job queue; phone-only members get a link", async () => {
    const b = await bureau(api);
    // Digits only: the searches below match letters inside emails too, and unique()'s base-36 clock
    // spelled "st" for part of 2026-12-01 (both emails then matched "st").
    const tag = unique("inv").replace(/[^0-9]/g, (c) => String(c.charCodeAt(0) % 10));
    const rows = [
      { name: "马西", nameInitials: "mx", email: `mx-${tag}@example.cn`, branch: "第一党总支/第三党支部" },
      { name: "孟晓", nameInitials: "mx", email: `mengx-${tag}@example.cn`, phone: "13912345670", branch: "第一党总支/第三党支部" },
      { name: "单田芳", nameInitials: "stf dtf", phone: "+86 139-1234-5671", branch: "机关党委/第二党总支/第三党支部", role: "secretary" as const },
    ];
    const result = await api.post("/v1/members/import", { rows }, b.admin);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ created: 3, invitationsQueued: 2 });
    expect(result.body.rows.map((r: { invitation: string }) => r.invitation)).toEqual(["queued", "queued", "link"]);

    const emails = await waitForMail(api.target, [rows[0]!.email!, rows[1]!.email!]);
    expect(emails[0]!.subject).toContain("邀请您使用清单工作台");
    const token = decodeURIComponent(/#token=([^\s"&)]+)/.exec(emails[0]!.text)![1]!);
    const accepted = await api.post("/v1/invitations/accept", { token, password: STRONG_PASSWORD });
    expect(accepted.status).toBe(200);

    // The phone-only secretary: the admin takes a link (or its QR code) to them, and they sign in by phone.
    const shan = result.body.rows[2].memberId as string;
    const link = await api.post(`/v1/members/${shan}/invitation`, undefined, b.admin);
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({ emailed: false, member: { phone: "13912345671", email: null } });
    expect((await api.get(`/v1/invitations/${encodeURIComponent(link.body.invitation.token)}`)).body).toMatchObject({ name: "单田芳", phone: "13912345671", email: null });
    expect((await api.post("/v1/invitations/accept", { token: link.body.invitation.token, password: STRONG_PASSWORD })).status).toBe(200);
    const byPhone = await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, phone: "139 1234 5671", password: STRONG_PASSWORD });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.member).toMatchObject({ id: shan, role: "secretary" });
    expectProblem(await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, phone: "13912345679", password: STRONG_PASSWORD }), 401, "auth.invalid_credentials");
    expectProblem(await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, password: STRONG_PASSWORD }), 400, "validation.failed");
    expectProblem(await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, phone: "12345", password: STRONG_PASSWORD }), 400, "validation.failed");

    // Search by pinyin initials (either reading of a 多音字), by phone digits, and by name (among the
    // imported three: letters also match inside emails, such as the admin's random one).
    const imported = new Set(rows.map((r) => r.name));
    const search = async (q: string) => (await api.get(`/v1/members?q=${encodeURIComponent(q)}`, b.admin)).body.data.map((m: { name: string }) => m.name).filter((n: string) => imported.has(n)).sort();
    expect(await search("mx")).toEqual(["孟晓", "马西"].sort());
    expect(await search("MX")).toEqual(["孟晓", "马西"].sort());
    expect(await search("dtf")).toEqual(["单田芳"]);
    expect(await search("st")).toEqual(["单田芳"]);
    expect(await search("1234567")).toEqual(["单田芳", "孟晓"].sort());
    expect(await search("马")).toEqual(["马西"]);
    expect(await search("stfx")).toEqual([]);
  });

  it("keeps phones unique and refuses a row that names two different members", async () => {
    const b = await bureau(api);
    const first = await api.post("/v1/members", { phone: "13800001111", name: "甲" }, b.admin);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ emailed: false, member: { email: null, phone: "13800001111" } });
    expectProblem(await api.post("/v1/members", { phone: "138-0000-1111", name: "乙" }, b.admin), 409, "member.phone_taken");
    expect(expectProblem(await api.post("/v1/members", { name: "丙" }, b.admin), 400).errors![0]!.path).toBe("email");
    const other = await api.addMember(b.admin, { name: "丁" });
    const conflict = expectProblem(await api.post("/v1/members/import", { rows: [{ name: "甲", email: other.email, phone: "13800001111" }] }, b.admin), 400);
    expect(conflict.errors![0]!.path).toBe("rows.0.phone");
    expectProblem(await api.patch(`/v1/members/${other.id}`, { phone: "13800001111" }, b.admin), 409, "member.phone_taken");
    expectProblem(await api.patch("/v1/me", { phone: "13800001111" }, other.accessToken), 409, "member.phone_taken");
    expect(expectProblem(await api.patch(`/v1/members/${first.body.member.id}`, { phone: null }, b.admin), 400).errors![0]!.path).toBe("phone");
    // An import cannot demote an admin.
    const demote = expectProblem(await api.post("/v1/members/import", { rows: [{ name: "王局长", email: b.t.member.email, role: "member" }] }, b.admin), 400);
    expect(demote.errors![0]!.path).toBe("rows.0.role");
  });

  it("takes at most 5,000 rows a call", async () => {
    const b = await bureau(api);
    const rows = Array.from({ length: 5001 }, (_, i) => ({ name: "某", phone: phoneOf(i) }));
    const problem = expectProblem(await api.post("/v1/members/import", { rows }, b.admin), 400, "validation.failed");
    expect(problem.errors![0]!.path).toBe("rows");
  });
});

/** Invitations leave through the job queue: on Node the target keeps the mail; in workerd it reaches the SMTP sink. */
async function waitForMail(target: Target, to: string[]) {
  const node = target as Target & { mail?: { to: string; subject: string; text: string }[] };
  for (let i = 0; i < 100; i++) {
    const mails = node.mail ?? ((await (await fetch(inject("mailboxUrl"))).json()) as { to: string; subject: string; text: string }[]);
    const found = to.map((address) => mails.filter((m) => m.to === address).at(-1));
    if (found.every(Boolean)) return found as { to: string; subject: string; text: string }[];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation mail for ${to.join(", ")}`);
}
