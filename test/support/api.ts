import { confirmSignup } from "./mail.js";
import type { Target } from "./target.js";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

let counter = 0;
/** Unique per call within a run, so tests never collide on slugs or emails. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${(counter++).toString(36)}`;

export const STRONG_PASSWORD = "Qingdan-2026-secure";

/** A thin JSON client over a Target: bodies in, status + parsed body out. */
export class Api {
  // Set later by apiForSuite (test/support/suite.ts), which starts the target in a beforeAll hook.
  constructor(public target: Target = undefined as unknown as Target) {}

  async call<T = any>(method: string, path: string, options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
    const res = await this.target.fetch(path, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, headers: res.headers, body: type.includes("json") && text ? JSON.parse(text) : text };
  }

  get = <T = any>(path: string, token?: string, headers?: Record<string, string>) => this.call<T>("GET", path, { token, headers });
  post = <T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) => this.call<T>("POST", path, { body, token, headers });
  patch = <T = any>(path: string, body: unknown, token?: string) => this.call<T>("PATCH", path, { body, token });
  put = <T = any>(path: string, body: unknown, token?: string) => this.call<T>("PUT", path, { body, token });
  delete = <T = any>(path: string, token?: string) => this.call<T>("DELETE", path, { token });

  /** Signs a bureau up and, unless `confirm: false`, confirms its email as its admin would (from the email). */
  async signUp(overrides: { slug?: string; email?: string; password?: string; name?: string; confirm?: boolean } = {}) {
    const slug = overrides.slug ?? unique("bureau");
    const email = overrides.email ?? `admin@${slug}.example.cn`;
    const reply = await this.post("/v1/tenants", {
      slug,
      name: overrides.name ?? "某市住建局",
      admin: { email, name: "王局长", password: overrides.password ?? STRONG_PASSWORD },
    });
    if (reply.status !== 201) throw new Error(`signup failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    if (overrides.confirm !== false) await confirmSignup(this, email);
    return reply.body as { tenant: { id: string; slug: string }; member: { id: string; email: string }; accessToken: string; refreshToken: string };
  }

  /** Invites and accepts: an active member with a password and tokens. */
  async addMember(adminToken: string, input: { role?: string; branchId?: string; secondBranchId?: string; email?: string; name?: string } = {}) {
    const email = input.email ?? `${unique("m")}@example.cn`;
    const invited = await this.post("/v1/members", { email, name: input.name ?? "李党员", role: input.role ?? "member", branchId: input.branchId, secondBranchId: input.secondBranchId }, adminToken);
    if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
    const accepted = await this.post("/v1/invitations/accept", { token: invited.body.invitation.token, password: STRONG_PASSWORD });
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    return { id: invited.body.member.id as string, email, accessToken: accepted.body.accessToken as string, refreshToken: accepted.body.refreshToken as string };
  }

  async createBranch(token: string, input: { name?: string; kind?: string; parentId?: string; secretaryId?: string }) {
    const reply = await this.post("/v1/branches", { name: input.name ?? "第一支部", kind: input.kind ?? "branch", parentId: input.parentId, secretaryId: input.secretaryId }, token);
    if (reply.status !== 201) throw new Error(`branch failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as { id: string; path: string };
  }

  /** How many audit rows a tenant has: every change writes one, so an unchanged count means nothing changed. */
  async auditCount(adminToken: string): Promise<number> {
    let total = 0;
    let cursor: string | null = null;
    do {
      const reply: Reply = await this.get(`/v1/audit?limit=200${cursor ? `&cursor=${cursor}` : ""}`, adminToken);
      if (reply.status !== 200) throw new Error(`audit failed: ${reply.status}`);
      total += reply.body.data.length;
      cursor = reply.body.nextCursor;
    } while (cursor);
    return total;
  }
}

export function expectProblem(reply: Reply, status: number, code?: string) {
  if (reply.status !== status || !String(reply.headers.get("content-type")).startsWith("application/problem+json") || (code && reply.body.code !== code)) {
    throw new Error(`expected problem ${status}${code ? ` ${code}` : ""}, got ${reply.status} ${reply.headers.get("content-type")} ${JSON.stringify(reply.body)}`);
  }
  return reply.body as { code: string; title: string; detail: string; requestId: string; errors?: { path: string; message: string }[] };
}
