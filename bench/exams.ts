// Part 16: 在线考试 at 09:00 — a bureau's members start the same 100-question paper within a minute
// and answer at a realistic pace (100 questions in 60 minutes: one save every ~36 s per member, ±50 %),
// on Node against libSQL files, the server in its own process. Then everyone submits, and every saved
// answer must come back scored. Figures: start, answer-save and submit p50/p99, errors.
//   BENCH_EXAM_MEMBERS (default 1000)   BENCH_EXAM_SECONDS: seconds of answering after the last start (default 45)
import { loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createClient } from "@libsql/client";
import { signAccessToken } from "../src/modules/auth/tokens.js";
import { hashPassword } from "../src/platform/crypto.js";
import { seedBureau, signUpOverHttp } from "./fixtures.js";
import { startServerChild } from "./server.js";
import { BENCH_JWT_SECRET, benchEnv, envNumber, fmtInt, fmtMs, log, percentile, type Row, tempDir } from "./support.js";

const QUESTIONS = 100;

/** A 120-question bank of the four types, in the import layout (parts 16 and 17). */
export const benchBankRows = () =>
  Array.from({ length: 120 }, (_, i) => {
    const kind = i % 4;
    if (kind === 0) return { type: "单选", stem: `单选题 ${i}：党的最高领导机关是？`, optionA: "党的全国代表大会和它所产生的中央委员会", optionB: "中央纪律检查委员会", optionC: "国务院", optionD: "中央军事委员会", answer: "A" };
    if (kind === 1) return { type: "多选", stem: `多选题 ${i}：“四个意识”包括哪些？`, optionA: "政治意识", optionB: "大局意识", optionC: "核心意识", optionD: "看齐意识", optionE: "服务意识", answer: "ABCD" };
    if (kind === 2) return { type: "判断", stem: `判断题 ${i}：党员有权对党的决议和政策提出建议。`, answer: "对" };
    return { type: "填空", stem: `填空题 ${i}：中国共产党成立于____年。`, answer: "1921" };
  });

/** A fixed 100-question paper of 60 minutes over the imported bank, open from a minute ago for two hours. */
export const benchPaper = (imported: { questionId: string }[]) => ({
  title: "党务知识在线竞技",
  mode: "fixed",
  questionIds: imported.slice(0, QUESTIONS).map((r) => r.questionId),
  pointsPerType: { single: 1, multiple: 1, judge: 1, fill: 1 },
  passMark: 60,
  timeLimitMinutes: 60,
  opensAt: new Date(Date.now() - 60_000).toISOString(),
  closesAt: new Date(Date.now() + 7_200_000).toISOString(),
});

export async function examsBench(): Promise<Row[]> {
  const memberCount = envNumber("BENCH_EXAM_MEMBERS", 1000);
  const answerSeconds = envNumber("BENCH_EXAM_SECONDS", 45);
  const dir = tempDir("exams");
  const server = await startServerChild(benchEnv(dir.path, { JWT_SECRET: BENCH_JWT_SECRET }));
  try {
    const signup = await signUpOverHttp(server.appUrl, "bench-exams");
    const admin = signup.accessToken as string;
    const dbFile = join(dir.path, "tenants", `${signup.tenant.id}.db`);
    // The fixture makes ~5 % of its people invited or disabled and three admins: seed enough that
    // `memberCount` active members and secretaries take the paper (a run of 1,000 once had 921).
    await seedBureau(dbFile, Math.ceil(memberCount * 1.1) + 10, await hashPassword("Qingdan-2026-bench-seed"));
    const db = createClient({ url: `file:${dbFile}` });
    const people = (await db.execute("SELECT id, role FROM members WHERE role IN ('member', 'secretary') AND status = 'active' ORDER BY id LIMIT ?", [memberCount])).rows;
    if (people.length < memberCount) throw new Error(`only ${people.length} active members seeded, ${memberCount} wanted`);
    const now = new Date();
    const tokens = await Promise.all(people.map((p) => signAccessToken(BENCH_JWT_SECRET, { memberId: String(p.id), tenantId: signup.tenant.id, role: p.role as "member" | "secretary", sessionVersion: 0 }, now, 7200)));

    /** A refused or timed-out connection is an error of the run (status 0, counted by its code), not the end of it. */
    const failures = new Map<string, number>();
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      try {
        const res = await fetch(`${server.appUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        const json = (await res.json()) as Record<string, any>;
        if (res.status >= 400) failures.set(String(json.code ?? res.status), (failures.get(String(json.code ?? res.status)) ?? 0) + 1);
        return { status: res.status, json };
      } catch (error) {
        const code = String((error as { cause?: { code?: string } }).cause?.code ?? error);
        failures.set(code, (failures.get(code) ?? 0) + 1);
        return { status: 0, json: {} as Record<string, any> };
      }
    };
    const bank = await call("POST", "/v1/exams/questions/import", admin, { rows: benchBankRows() });
    if (bank.status !== 200) throw new Error(`import ${bank.status} ${JSON.stringify(bank.json)}`);
    const paper = await call("POST", "/v1/exams/papers", admin, benchPaper(bank.json.rows));
    if (paper.status !== 201) throw new Error(`paper ${paper.status} ${JSON.stringify(paper.json)}`);
    await call("POST", `/v1/exams/papers/${paper.json.id}/publish`, admin, {});

    const startMs: number[] = [];
    const saveMs: number[] = [];
    const submitMs: number[] = [];
    let errors = 0;
    let saved = 0;
    let startedCount = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const right = (type: string) => (type === "single" ? ["A"] : type === "multiple" ? ["A", "B", "C", "D"] : type === "judge" ? ["T"] : ["1921"]);
    // Where a slow answer waits: the server's event loop (sampled every 5 s) or this process's own.
    const serverLoop = { p99: 0, max: 0 };
    await server.loop();
    const sampler = setInterval(() => {
      void server.loop().then((l) => {
        serverLoop.p99 = Math.max(serverLoop.p99, l.p99);
        serverLoop.max = Math.max(serverLoop.max, l.max);
      });
    }, 5_000);
    const clientLoop = monitorEventLoopDelay({ resolution: 10 });
    clientLoop.enable();
    const cpuBefore = await server.cpu();
    const began = Date.now();
    const startWindow = 60_000;
    const stopAt = began + startWindow + answerSeconds * 1000;
    log(`exams: ${tokens.length} members start within ${startWindow / 1000} s, then answer for ${answerSeconds} s`);
    await Promise.all(
      tokens.map(async (token, m) => {
        await sleep((m / tokens.length) * startWindow);
        let t0 = performance.now();
        const started = await call("POST", `/v1/exams/papers/${paper.json.id}/attempts`, token);
        startMs.push(performance.now() - t0);
        if (started.status !== 200) return void errors++;
        startedCount++;
        const items = started.json.items as { position: number; type: string }[];
        let next = 0;
        // Think time: 36 s a question on average (60 minutes for 100), ±50 %.
        while (next < items.length && Date.now() + 18_000 < stopAt) {
          await sleep(18_000 + Math.random() * 36_000);
          if (Date.now() > stopAt) break;
          const item = items[next++]!;
          t0 = performance.now();
          const put = await call("PUT", `/v1/exams/attempts/${started.json.id}/answers/${item.position}`, token, { answer: right(item.type), rev: 1 });
          saveMs.push(performance.now() - t0);
          if (put.status === 200) saved++;
          else errors++;
        }
        t0 = performance.now();
        const done = await call("POST", `/v1/exams/attempts/${started.json.id}/submit`, token);
        submitMs.push(performance.now() - t0);
        if (done.status !== 200) errors++;
      }),
    );
    clearInterval(sampler);
    clientLoop.disable();
    const loops = `event-loop delay: server p99 ${fmtMs(serverLoop.p99)} (worst 5 s) · max ${fmtMs(serverLoop.max)}; bench client p99 ${fmtMs(clientLoop.percentile(99) / 1e6)} · max ${fmtMs(clientLoop.max / 1e6)}`;
    const failed = [...failures].map(([code, n]) => `${code} ×${n}`).join(", ") || "none";
    const seconds = (Date.now() - began) / 1000;
    const cpuMicros = (await server.cpu()) - cpuBefore;
    const counted = (await db.execute("SELECT count(*) AS n, coalesce(sum(correct IS NULL), 0) AS unscored, coalesce(sum(correct), 0) AS right FROM exam_answers")).rows[0]!;
    db.close();
    const unscored = Number(counted.unscored);
    const stored = Number(counted.n);
    const rowsOut: Row[] = [
      { part: "16 exams", case: `${fmtInt(tokens.length)} members start a ${QUESTIONS}-question paper within 60 s`, result: `p50 ${fmtMs(percentile(startMs, 50))} · p99 ${fmtMs(percentile(startMs, 99))}`, relative: `${fmtInt(startedCount)} started · errors ${errors}`, note: `start = read paper + attempts, versions, insert attempt + audit; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" / ")}` },
      { part: "16 exams", case: `answer saves at a realistic pace (${fmtInt(saveMs.length)} in ${seconds.toFixed(0)} s, ${(saveMs.length / seconds).toFixed(1)}/s)`, result: `p50 ${fmtMs(percentile(saveMs, 50))} · p99 ${fmtMs(percentile(saveMs, 99))}`, relative: `errors ${errors}`, note: `${loops}; failures: ${failed}; server CPU ${(cpuMicros / 1000 / Math.max(1, startMs.length + saveMs.length + submitMs.length)).toFixed(2)} ms per request (all kinds)` },
      { part: "16 exams", case: `${fmtInt(submitMs.length)} submits (scoring)`, result: `p50 ${fmtMs(percentile(submitMs, 50))} · p99 ${fmtMs(percentile(submitMs, 99))}`, relative: unscored === 0 && stored === saved ? "every saved answer scored" : `⚠ ${unscored} unscored, ${stored} stored vs ${saved} saved`, note: `${fmtInt(Number(counted.right))} right of ${fmtInt(stored)}` },
    ];
    log(`exams: ${rowsOut.map((r) => `${r.case}: ${r.result} (${r.relative})`).join("; ")}`);
    return rowsOut;
  } finally {
    await server.close();
    dir.remove();
  }
}
