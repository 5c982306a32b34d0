// Part 16: 在线考试 at 09:00 — a bureau's members start the same 100-question paper within a minute
// and answer at a realistic pace (100 questions in 60 minutes: one save every ~36 s per member, ±50 %),
// on Node against libSQL files, the server in its own process. Then everyone submits, and every saved
// answer must come back scored. Figures: start, answer-save and submit p50/p99, errors.
//   BENCH_EXAM_MEMBERS (default 1000)   BENCH_EXAM_SECONDS: seconds of answering after the last start (default 45)
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { signAccessToken } from "../src/modules/auth/tokens.js";
import { hashPassword } from "../src/platform/crypto.js";
import { seedBureau, signUpOverHttp } from "./fixtures.js";
import { startServerChild } from "./server.js";
import { BENCH_JWT_SECRET, benchEnv, envNumber, fmtInt, fmtMs, log, percentile, type Row, tempDir } from "./support.js";

const QUESTIONS = 100;

export async function examsBench(): Promise<Row[]> {
  const memberCount = envNumber("BENCH_EXAM_MEMBERS", 1000);
  const answerSeconds = envNumber("BENCH_EXAM_SECONDS", 45);
  const dir = tempDir("exams");
  const server = await startServerChild(benchEnv(dir.path, { JWT_SECRET: BENCH_JWT_SECRET }));
  try {
    const signup = await signUpOverHttp(server.appUrl, "bench-exams");
    const admin = signup.accessToken as string;
    const dbFile = join(dir.path, "tenants", `${signup.tenant.id}.db`);
    await seedBureau(dbFile, memberCount, await hashPassword("Qingdan-2026-bench-seed"));
    const db = createClient({ url: `file:${dbFile}` });
    const ids = (await db.execute("SELECT id FROM members WHERE role = 'member' AND status = 'active' LIMIT ?", [memberCount])).rows.map((r) => String(r.id));
    const now = new Date();
    const tokens = await Promise.all(ids.map((id) => signAccessToken(BENCH_JWT_SECRET, { memberId: id, tenantId: signup.tenant.id, role: "member", sessionVersion: 0 }, now, 7200)));

    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${server.appUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as Record<string, any>;
      return { status: res.status, json };
    };
    // A 120-question bank (the four types), a fixed 100-question paper of 60 minutes.
    const rows = Array.from({ length: 120 }, (_, i) => {
      const kind = i % 4;
      if (kind === 0) return { type: "单选", stem: `单选题 ${i}：党的最高领导机关是？`, optionA: "党的全国代表大会和它所产生的中央委员会", optionB: "中央纪律检查委员会", optionC: "国务院", optionD: "中央军事委员会", answer: "A" };
      if (kind === 1) return { type: "多选", stem: `多选题 ${i}：“四个意识”包括哪些？`, optionA: "政治意识", optionB: "大局意识", optionC: "核心意识", optionD: "看齐意识", optionE: "服务意识", answer: "ABCD" };
      if (kind === 2) return { type: "判断", stem: `判断题 ${i}：党员有权对党的决议和政策提出建议。`, answer: "对" };
      return { type: "填空", stem: `填空题 ${i}：中国共产党成立于____年。`, answer: "1921" };
    });
    const bank = await call("POST", "/v1/exams/questions/import", admin, { rows });
    if (bank.status !== 200) throw new Error(`import ${bank.status} ${JSON.stringify(bank.json)}`);
    const questionIds = (bank.json.rows as { questionId: string }[]).slice(0, QUESTIONS).map((r) => r.questionId);
    const paper = await call("POST", "/v1/exams/papers", admin, { title: "党务知识在线竞技", mode: "fixed", questionIds, pointsPerType: { single: 1, multiple: 1, judge: 1, fill: 1 }, passMark: 60, timeLimitMinutes: 60, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 7_200_000).toISOString() });
    if (paper.status !== 201) throw new Error(`paper ${paper.status} ${JSON.stringify(paper.json)}`);
    await call("POST", `/v1/exams/papers/${paper.json.id}/publish`, admin, {});

    const startMs: number[] = [];
    const saveMs: number[] = [];
    const submitMs: number[] = [];
    let errors = 0;
    let saved = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const right = (type: string) => (type === "single" ? ["A"] : type === "multiple" ? ["A", "B", "C", "D"] : type === "judge" ? ["T"] : ["1921"]);
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
    const seconds = (Date.now() - began) / 1000;
    const cpuMicros = (await server.cpu()) - cpuBefore;
    const counted = (await db.execute("SELECT count(*) AS n, coalesce(sum(correct IS NULL), 0) AS unscored, coalesce(sum(correct), 0) AS right FROM exam_answers")).rows[0]!;
    db.close();
    const unscored = Number(counted.unscored);
    const stored = Number(counted.n);
    const rowsOut: Row[] = [
      { part: "16 exams", case: `${fmtInt(tokens.length)} members start a ${QUESTIONS}-question paper within 60 s`, result: `p50 ${fmtMs(percentile(startMs, 50))} · p99 ${fmtMs(percentile(startMs, 99))}`, relative: `errors ${errors}`, note: "start = read paper + attempts, versions, insert attempt + audit" },
      { part: "16 exams", case: `answer saves at a realistic pace (${fmtInt(saveMs.length)} in ${seconds.toFixed(0)} s, ${(saveMs.length / seconds).toFixed(1)}/s)`, result: `p50 ${fmtMs(percentile(saveMs, 50))} · p99 ${fmtMs(percentile(saveMs, 99))}`, relative: `errors ${errors}`, note: `server CPU ${(cpuMicros / 1000 / Math.max(1, startMs.length + saveMs.length + submitMs.length)).toFixed(2)} ms per request (all kinds)` },
      { part: "16 exams", case: `${fmtInt(submitMs.length)} submits (scoring)`, result: `p50 ${fmtMs(percentile(submitMs, 50))} · p99 ${fmtMs(percentile(submitMs, 99))}`, relative: unscored === 0 && stored === saved ? "every saved answer scored" : `⚠ ${unscored} unscored, ${stored} stored vs ${saved} saved`, note: `${fmtInt(Number(counted.right))} right of ${fmtInt(stored)}` },
    ];
    log(`exams: ${rowsOut.map((r) => `${r.case}: ${r.result} (${r.relative})`).join("; ")}`);
    return rowsOut;
  } finally {
    await server.close();
    dir.remove();
  }
}
