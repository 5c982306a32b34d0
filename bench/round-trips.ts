// Part 4: tenant-database round trips per request. The app runs in-process with its tenant
// databases on the project's local libSQL server (@libsql/client/web over HTTP, as on Workers),
// whose counters say how many Hrana pipeline requests each request cost. Budget: 1. The control
// database lives on the same server (as the Worker has it), so its requests are counted too: an
// authenticated request should make none once the tenant's facts are cached.
import { databaseNameFor } from "../src/platform/http-tenant-databases.js";
import { libsqlApp } from "./libsql-app.js";
import { BENCH_PASSWORD, log, type Row } from "./support.js";

export const ROUND_TRIP_BUDGET = 1;

/**
 * Why a route costs more than one round trip, from reading its service code; shown only when the
 * count is over budget, so a fix that brings a route to 1 silences its note.
 */
const WHY: Record<string, string> = {
  "PATCH /v1/me": "updateMe reads the member (currentMember), then writes update + audit in a batch",
  "POST /v1/members (invite)": "inviteMember: readForWrite batch (branches, scope, admin count), then insert member + invitation + audit batch",
  "POST /v1/auth/login": "logIn selects the member by email, verifies the password in JS, then batches session + last_login_at + audit",
  "POST /v1/auth/refresh": "refreshSession: select token+member, UPDATE … RETURNING to spend it, then the new token and its audit row in one batch",
  "GET /v1/me (API token)": "the auth middleware looks the API token up (it can be revoked), then currentMember reads the member again",
  "POST /v1/tenants (signup)": "not a hot path: provision + readiness probe + 3 for migrations + 1 batch",
  "PUT /v1/worklogs/days/:date": "writeDay: a read batch decides (closed month, categories, calendar, the offered photos), then one write batch (day, photos, rollup, audit)",
  "GET /v1/reports/worklogs": "worklogLedger: one batch of rollups, then the checklist ledger's own query for the composite",
};

/** Routes that find their tenant in the control database by design (no token to carry it). */
const CONTROL_BY_DESIGN = new Set(["POST /v1/auth/login", "POST /v1/tenants (signup)"]);

export async function roundTripBench(repeats = 3): Promise<Row[]> {
  const { call, signUp, libsql, close } = await libsqlApp("round-trips");
  try {
    let seq = 0;
    const slug = "bench-round-trips";
    const signupBody = (s: string) => ({ slug: s, name: "某市住房和城乡建设局", admin: { email: `admin@${s}.example.cn`, name: "王局长", password: BENCH_PASSWORD } });
    const { session, dbName } = await signUp(slug);
    const access: string = session.accessToken;
    let refresh: string = session.refreshToken;
    const branch = await call("POST", "/v1/branches", { name: "综合科党支部", kind: "branch" }, access);
    const apiToken: string = (await call("POST", "/v1/api-tokens", { name: "bench" }, access)).token;

    const routes: { name: string; run: () => Promise<unknown>; dbName?: () => string }[] = [
      { name: "GET /v1/me", run: () => call("GET", "/v1/me", undefined, access) },
      { name: "GET /v1/members?limit=50", run: () => call("GET", "/v1/members?limit=50", undefined, access) },
      { name: "GET /v1/branches", run: () => call("GET", "/v1/branches", undefined, access) },
      { name: "PATCH /v1/me", run: () => call("PATCH", "/v1/me", { name: `王局长${seq++ % 2 ? "" : "（基准）"}` }, access) },
      { name: "POST /v1/members (invite)", run: () => call("POST", "/v1/members", { email: `bench-${seq++}@example.cn`, name: "李党员", role: "member", branchId: branch.id }, access) },
      { name: "POST /v1/auth/login", run: () => call("POST", "/v1/auth/login", { tenant: slug, email: `admin@${slug}.example.cn`, password: BENCH_PASSWORD }) },
      {
        name: "POST /v1/auth/refresh",
        run: async () => {
          refresh = (await call("POST", "/v1/auth/refresh", { refreshToken: refresh })).refreshToken;
        },
      },
      { name: "GET /v1/me (API token)", run: () => call("GET", "/v1/me", undefined, apiToken) },
      { name: "PUT /v1/worklogs/days/:date", run: () => call("PUT", "/v1/worklogs/days/2026-06-15", { items: [{ text: `审核施工图 ${seq++}`, category: "business", hours: 4 }] }, access) },
      { name: "GET /v1/worklogs/members/:id/months/:month", run: () => call("GET", `/v1/worklogs/members/${session.member.id}/months/2026-06`, undefined, access) },
      { name: "GET /v1/worklogs/team?date=", run: () => call("GET", "/v1/worklogs/team?date=2026-06-15", undefined, access) },
      { name: "GET /v1/worklogs/scoring?month=", run: () => call("GET", "/v1/worklogs/scoring?month=2026-06", undefined, access) },
      { name: "GET /v1/reports/worklogs", run: () => call("GET", "/v1/reports/worklogs?period=2026-06", undefined, access) },
    ];
    // 在线考试: the answer save is the hot path of a bureau-wide exam (one round trip by design).
    const bank = await call("POST", "/v1/exams/questions/import", { rows: [{ type: "单选", stem: "党的最高领导机关是？", optionA: "党的全国代表大会和它所产生的中央委员会", optionB: "中央纪律检查委员会", answer: "A" }, { type: "判断", stem: "党员有权对党的决议和政策提出建议。", answer: "对" }] }, access);
    const paper = await call("POST", "/v1/exams/papers", { title: "党务知识在线竞技", mode: "fixed", questionIds: bank.rows.map((r: { questionId: string }) => r.questionId), pointsPerType: { single: 1, multiple: 2, judge: 1, fill: 2 }, passMark: 1, timeLimitMinutes: 60, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() }, access);
    await call("POST", `/v1/exams/papers/${paper.id}/publish`, {}, access);
    const attempt = await call("POST", `/v1/exams/papers/${paper.id}/attempts`, {}, access);
    let rev = 0;
    routes.push(
      { name: "PUT /v1/exams/attempts/:id/answers/:position", run: () => call("PUT", `/v1/exams/attempts/${attempt.id}/answers/1`, { answer: [rev % 2 ? "A" : "B"], rev: ++rev }, access) },
      { name: "GET /v1/exams/attempts/:id (resume)", run: () => call("GET", `/v1/exams/attempts/${attempt.id}`, undefined, access) },
    );
    // Signup is counted on the database it creates (the counter exists once the database does).
    let signupTenant = "";
    routes.push({
      name: "POST /v1/tenants (signup)",
      run: async () => {
        signupTenant = (await call("POST", "/v1/tenants", signupBody(`bench-rt-${seq++}`))).tenant.id;
      },
      dbName: () => databaseNameFor(signupTenant),
    });

    const rows: Row[] = [];
    for (const route of routes) {
      const counts: number[] = [];
      const control: number[] = [];
      for (let i = 0; i < repeats; i++) {
        libsql.resetCounts();
        await route.run();
        counts.push(libsql.requestCount(route.dbName?.() ?? dbName));
        control.push(libsql.requestCount("control"));
      }
      const steady = counts[counts.length - 1]!;
      const steadyControl = control[control.length - 1]!;
      const over = steady > ROUND_TRIP_BUDGET;
      const controlFlag = steadyControl > 0 && !CONTROL_BY_DESIGN.has(route.name);
      rows.push({
        part: "4 round trips",
        case: route.name,
        result: `${steady} tenant · ${steadyControl} control`,
        relative: [over ? `⚠ over budget (${ROUND_TRIP_BUDGET})` : `within budget (${ROUND_TRIP_BUDGET})`, controlFlag ? "⚠ control query on the hot path" : ""].filter(Boolean).join(" · "),
        note: [
          new Set(counts).size > 1 || new Set(control).size > 1 ? `${repeats} runs: tenant ${counts.join(", ")} · control ${control.join(", ")}` : "",
          over ? (WHY[route.name] ?? "") : "",
        ]
          .filter(Boolean)
          .join("; "),
      });
    }
    log(`round trips: ${rows.map((r) => `${r.case}=${r.result}`).join(", ")}`);
    return rows;
  } finally {
    await close();
  }
}
