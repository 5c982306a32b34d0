// Part 14: 电子日志 at S2 scale (issue 17): Xiangyang's 25,315 cadres in 85 支部 (≈300 each), a year
// of daily entries generated straight into the tenant's file with SQL, month by month from January,
// for as long as BENCH_WORKLOG_SECONDS allows (default 120: this is a shared 2-core machine). What
// was generated is printed; nothing is extrapolated except DB size per 100k entries and the year's
// size computed from it, which say so.
//  a. write today's entry (PUT /v1/worklogs/days/:today) from distinct members, 8 at a time, p50/p99;
//  b. unloaded (one at a time) p50: my month, the team day of a leader of 50, the scoring sheet of a
//     支部 of ≈300 (its secretary), the monthly ledger over all members (admin), with response sizes;
//  c. database size per 100k entries.
// Round trips per route are in part 4 (the in-process app against the local libSQL server).
import { statSync } from "node:fs";
import { join } from "node:path";
import { createClient as createFileClient } from "@libsql/client";
import { addDays } from "../src/calendar/days.js";
import { localDate } from "../src/calendar/zoned.js";
import { newId } from "../src/db/ids.js";
import { signAccessToken } from "../src/modules/auth/tokens.js";
import { hashPassword } from "../src/platform/crypto.js";
import { inserts, prng, seedOrg, signUpOverHttp } from "./fixtures.js";
import { startServerChild } from "./server.js";
import { BENCH_JWT_SECRET, benchEnv, envNumber, fmtInt, fmtMs, log, percentile, type Row, tempDir } from "./support.js";

const PART = "14 work log";
const TEXTS = ["参加支部主题党日，学习二十届四中全会精神", "审核人民路改造项目施工图，提出修改意见 3 条", "走访凉都大道沿线商户，收集群众意见 5 条", "协调区住建局、电信公司处理人孔井抬升", "整理本周质量安全巡查台账", "参加局务会，汇报重点项目进度", "接待群众来访 2 人次，解答物业维修资金问题", "起草城市更新工作简报"];
const CATEGORIES = ["party", "business", "service", "study", "other"];

const pad = (n: number) => String(n).padStart(2, "0");
const isWeekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

export async function worklogBench(options: { members?: number; seconds?: number } = {}): Promise<Row[]> {
  const memberCount = options.members ?? envNumber("BENCH_WORKLOG_MEMBERS", 25_315);
  const budgetS = options.seconds ?? envNumber("BENCH_WORKLOG_SECONDS", 120);
  const dir = tempDir("worklogs");
  const server = await startServerChild(benchEnv(dir.path));
  const rows: Row[] = [];
  const row = (c: string, result: string, note = "", relative = "") => rows.push({ part: PART, case: c, result, relative, note });
  try {
    const signup = await signUpOverHttp(server.appUrl, "bench-worklogs");
    const dbFile = join(dir.path, "tenants", `${signup.tenant.id}.db`);
    const file = createFileClient({ url: `file:${dbFile}` });
    const org = await seedOrg(file, { members: memberCount, generals: 17, branchesPerGeneral: 5, passwordHash: await hashPassword("Seeded-Member-2026"), seed: 17 });
    const active = org.members.filter((m) => m.status === "active");
    // A leader of 50 (the bureau's override for 50 members of one 支部) beside the 支部 secretaries.
    const leader = active.find((m) => m.role === "member")!;
    const led = active.filter((m) => m.role === "member" && m.id !== leader.id).slice(0, 50);
    await file.batch(inserts("worklog_leaders", ["subject_type", "subject_id", "leader_id", "updated_at"], led.map((m) => ["member", m.id, leader.id, new Date().toISOString()])) as never, "write");
    await file.execute("PRAGMA cache_size = -262144");

    // ── generate: month by month, every active member, ~95% of working days written, 3% leave ──
    const rand = prng(2026);
    const started = performance.now();
    let entries = 0;
    let months = 0;
    let stamp = Date.parse("2026-01-01T00:00:00Z");
    const todayLocal = localDate(new Date(), "Asia/Shanghai");
    for (let month = 1; month <= 12; month++) {
      const first = `2026-${pad(month)}-01`;
      if (first > todayLocal || (performance.now() - started) / 1000 > budgetS) break;
      const days: string[] = [];
      for (let d = first; d.slice(5, 7) === pad(month); d = addDays(d, 1)) if (isWeekday(d) && d < todayLocal) days.push(d);
      const entryRows: unknown[][] = [];
      const rollups: unknown[][] = [];
      for (const m of active) {
        let written = 0;
        let leave = 0;
        for (const d of days) {
          const roll = rand();
          if (roll < 0.05) continue;
          const isLeave = roll < 0.08;
          const n = isLeave ? 0 : 1 + Math.floor(rand() * 3);
          const items = Array.from({ length: n }, () => ({ text: TEXTS[Math.floor(rand() * TEXTS.length)], category: CATEGORIES[Math.floor(rand() * CATEGORIES.length)], hours: 1 + Math.floor(rand() * 4), place: null, fileIds: [] }));
          const at = new Date((stamp += 1)).toISOString();
          entryRows.push([newId("wle", stamp), m.id, d, isLeave ? "leave" : "work", JSON.stringify(items), items.reduce((h, i) => h + i.hours, 0) || null, at, at]);
          if (isLeave) leave++;
          else written++;
        }
        const scored = month < 11;
        const score = 60 + Math.floor(rand() * 41);
        rollups.push([m.id, `2026-${pad(month)}`, written, leave, days.length, scored ? "本月按计划完成各项工作。" : null, scored ? `2026-${pad(month + 1)}-01T01:00:00.000Z` : null, scored ? score : null, scored ? 1 : null, new Date().toISOString()]);
      }
      await file.batch(
        [
          ...inserts("worklog_entries", ["id", "member_id", "date", "kind", "items", "hours", "created_at", "updated_at"], entryRows),
          ...inserts("worklog_months", ["member_id", "month", "days_written", "leave_days", "working_days", "summary", "summary_at", "score", "rubric_version", "updated_at"], rollups),
        ] as never,
        "write",
      );
      entries += entryRows.length;
      months++;
      log(`work log: 2026-${pad(month)} ${fmtInt(entryRows.length)} entries (${fmtInt(entries)} in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    const seconds = (performance.now() - started) / 1000;
    await file.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    const bytes = statSync(dbFile).size;
    const perHundredK = (bytes / entries) * 100_000;
    const lastMonth = `2026-${pad(months)}`;
    row("generated", `${fmtInt(entries)} entries, ${months} month(s) of ${fmtInt(active.length)} active members`, `${seconds.toFixed(0)} s at ${fmtInt(entries / seconds)} rows/s (budget ${budgetS} s); a year would be ≈${fmtInt((entries / Math.max(1, months)) * 12)} entries (extrapolated from the months generated)`);
    row("DB size per 100k entries", `${(perHundredK / 1024 / 1024).toFixed(1)} MiB`, `tenant file ${(bytes / 1024 / 1024).toFixed(0)} MiB with ${fmtInt(memberCount)} members; a year ≈ ${((perHundredK * 63) / 1024 / 1024 / 1024).toFixed(2)} GiB for 6.3 million entries (extrapolated)`);
    file.close();

    // ── tokens, signed as the server would ──
    const token = (memberId: string, role: string) => signAccessToken(BENCH_JWT_SECRET, { memberId, tenantId: signup.tenant.id, role: role as never, sessionVersion: 0 }, new Date(), 7200);
    const auth = async (memberId: string, role: string) => ({ authorization: `Bearer ${await token(memberId, role)}` });
    const writer = active.find((m) => m.role === "member")!;
    const secretaryBranch = org.branches.find((b) => b.secretaryId)!;
    const unitSize = org.members.filter((m) => m.branchId === secretaryBranch.id && m.status !== "disabled").length;

    // ── a. writes of today's entry, 8 members at a time ──
    const body = JSON.stringify({ kind: "work", items: [{ text: TEXTS[1], category: "business", hours: 4 }, { text: TEXTS[0], category: "party", hours: 2 }] });
    const writers = active.slice(100, 100 + 400);
    const headers = await Promise.all(writers.map(async (m) => ({ ...(await auth(m.id, m.role)), "content-type": "application/json" })));
    const times: number[] = [];
    let failures = 0;
    const until = performance.now() + 10_000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          const i = next++ % writers.length;
          const t0 = performance.now();
          const res = await fetch(`${server.appUrl}/v1/worklogs/days/${todayLocal}`, { method: "PUT", headers: headers[i]!, body });
          await res.arrayBuffer();
          if (res.status >= 300) failures++;
          times.push(performance.now() - t0);
        }
      }),
    );
    row("PUT /v1/worklogs/days/:today, 8 at a time (400 members, first write then rewrites)", `p50 ${fmtMs(percentile(times, 50))} · p99 ${fmtMs(percentile(times, 99))}`, `${fmtInt(times.length)} writes in 10 s, ${failures} failed; 2 tenant round trips each (part 4)`);

    // ── b. reads, one at a time, beside the bare route (no auth, no database): the machine's own floor ──
    const bare: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await (await fetch(server.bareUrl)).arrayBuffer();
      bare.push(percentile([performance.now() - t0], 50));
    }
    const floor = percentile(bare, 50);
    row("bare route (same child, for scale)", `p50 ${fmtMs(floor)}`, "40 requests one at a time; the machine's load shows here first");
    const reads: [string, string, Record<string, string>][] = [
      [`my month (GET /v1/worklogs/members/:me/months/${lastMonth})`, `/v1/worklogs/members/${writer.id}/months/${lastMonth}`, await auth(writer.id, writer.role)],
      [`team day of a leader of 50 (GET /v1/worklogs/team?date=…)`, `/v1/worklogs/team?date=${addDays(`${lastMonth}-01`, 14)}`, await auth(leader.id, leader.role)],
      [`scoring sheet of a 支部 of ${unitSize} (its secretary)`, `/v1/worklogs/scoring?month=${lastMonth}`, await auth(secretaryBranch.secretaryId!, "secretary")],
      [`monthly ledger over all ${fmtInt(memberCount)} members (admin)`, `/v1/reports/worklogs?period=${lastMonth}`, { authorization: `Bearer ${signup.accessToken}` }],
      [`year's ledger per branch (admin)`, `/v1/reports/worklogs?period=2026&groupBy=branch`, { authorization: `Bearer ${signup.accessToken}` }],
    ];
    for (const [label, path, h] of reads) {
      const res = await fetch(`${server.appUrl}${path}`, { headers: h });
      const size = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      const heavy = path.startsWith("/v1/reports");
      const t: number[] = [];
      for (let i = 0; i < (heavy ? 3 : 40); i++) {
        const t0 = performance.now();
        await (await fetch(`${server.appUrl}${path}`, { headers: h })).arrayBuffer();
        t.push(performance.now() - t0);
      }
      row(label, `p50 ${fmtMs(percentile(t, 50))}`, `${t.length} requests one at a time; answer ${(size / 1024).toFixed(1)} KiB`, `${(percentile(t, 50) / floor).toFixed(1)}× bare${heavy ? "" : percentile(t, 50) <= 10 ? " · ≤ 10 ms target" : " · ⚠ over the 10 ms target"}`);
    }
    return rows;
  } finally {
    await server.close();
    dir.remove();
  }
}
