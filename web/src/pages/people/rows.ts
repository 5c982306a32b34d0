/**
 * The import template and how a spreadsheet row becomes an import row. Pure (no Vue): the console's
 * import page and the API test share it. The API checks everything again; this only lets the page show
 * format problems before anything is sent.
 */
export const TEMPLATE_HEADER = ["姓名", "手机号", "邮箱", "所在支部", "角色", "第二支部"] as const;
export const TEMPLATE_EXAMPLE = ["马西", "13800138000", "maxi@example.cn", "机关党委/第一党总支/第三党支部", "党员", "幸福社区党委"];

const ROLE_LABELS: Record<string, "member" | "secretary" | "admin"> = { 党员: "member", 书记: "secretary", 管理员: "admin", member: "member", secretary: "secretary", admin: "admin" };
const MOBILE = /^1[3-9][0-9]{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ImportRow {
  line: number;
  name: string;
  nameInitials?: string;
  phone?: string;
  email?: string;
  branch?: string;
  role?: string;
  secondBranch?: string;
}

const cell = (value: unknown) => (value === null || value === undefined ? "" : String(value).trim());

/** Column positions by header text, so a sheet with reordered or extra columns still reads. */
export function columnsOf(header: unknown[]) {
  const at = (name: string) => header.findIndex((h) => cell(h) === name);
  return { name: at("姓名"), phone: at("手机号"), email: at("邮箱"), branch: at("所在支部"), role: at("角色"), secondBranch: at("第二支部") };
}

/** Sheet rows (header first) → import rows with their line numbers; blank lines are skipped. */
export function toImportRows(sheet: unknown[][]): ImportRow[] {
  const cols = columnsOf(sheet[0] ?? []);
  const get = (cells: unknown[], i: number) => (i >= 0 ? cell(cells[i]) : "");
  const rows: ImportRow[] = [];
  sheet.slice(1).forEach((cells, i) => {
    if (cells.every((c) => cell(c) === "")) return;
    const role = get(cells, cols.role);
    const row: ImportRow = { line: i + 2, name: get(cells, cols.name) };
    const phone = get(cells, cols.phone).replace(/[\s-]/g, "").replace(/^(\+86|0086)/, "");
    if (phone) row.phone = phone;
    const email = get(cells, cols.email).toLowerCase();
    if (email) row.email = email;
    const branch = get(cells, cols.branch);
    if (branch) row.branch = branch;
    if (role) row.role = ROLE_LABELS[role] ?? role;
    const second = get(cells, cols.secondBranch);
    if (second) row.secondBranch = second;
    rows.push(row);
  });
  return rows;
}

/** The format problems the page can see by itself, per field (the API adds branches and duplicates). */
export function formatProblems(row: ImportRow): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!row.name) problems.name = "必填";
  if (row.name.length > 100) problems.name = "过长";
  if (row.phone && !MOBILE.test(row.phone)) problems.phone = "须为11位手机号";
  if (row.email && !EMAIL.test(row.email)) problems.email = "邮箱格式不正确";
  if (!row.phone && !row.email) problems.phone = "须填写手机号或邮箱";
  if (row.role && !["member", "secretary", "admin"].includes(row.role)) problems.role = "须为 党员、书记 或 管理员";
  return problems;
}
