// Query-plan and latency tools the checklist and problem parts share.
import { rmSync } from "node:fs";
import { createClient as createFileClient, type Client as FileClient } from "@libsql/client";
import { percentile } from "./support.js";

export interface Plan { lines: string[]; scans: string[]; temps: string[] }

/** EXPLAIN QUERY PLAN as indented lines, with its full scans and temp B-trees picked out. */
export async function explain(client: FileClient, q: { sql: string; args: never[] }): Promise<Plan> {
  const result = await client.execute({ sql: `EXPLAIN QUERY PLAN ${q.sql}`, args: q.args });
  const depth = new Map<number, number>();
  const lines: string[] = [];
  for (const row of result.rows) {
    const [id, parent, detail] = [Number(row[0]), Number(row[1]), String(row[3])];
    const d = parent === 0 ? 0 : (depth.get(parent) ?? 0) + 1;
    depth.set(id, d);
    lines.push(`${"  ".repeat(d)}${detail}`);
  }
  const trimmed = lines.map((l) => l.trim());
  return {
    lines,
    // A SCAN reads a whole table, index or materialised subquery (a LIMIT may stop it early).
    scans: trimmed.filter((l) => /^SCAN /.test(l) && !/^SCAN CONSTANT ROW/.test(l)),
    // A temp B-tree sorts, groups or deduplicates what was read: cheap for a page, not for a year.
    temps: trimmed.filter((l) => /TEMP B-TREE/.test(l)).map((l) => l.replace(/^(USE )?TEMP B-TREE FOR /, "").replace(/ USING TEMP B-TREE$/, "")),
  };
}

export const planSummary = (p: Plan) => `${p.scans.length ? [...new Set(p.scans)].join(", ") : "no SCAN (index searches only)"}${p.temps.length ? ` · temp B-trees: ${p.temps.join(", ")}` : ""}`;

/** A statement's p50 on the file, run repeatedly within a time budget. */
export async function timeQuery(client: FileClient, q: { sql: string; args: never[] }, runs = 10, budgetMs = 1_000): Promise<{ p50: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  const started = performance.now();
  while (times.length < runs && (times.length < 3 || performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    rows = (await client.execute(q)).rows.length;
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), rows };
}

/** A consistent copy of a live database (WAL and all), made by SQLite itself on a connection of its own. */
export async function copyDatabase(from: string, to: string) {
  rmSync(to, { force: true });
  const client = createFileClient({ url: `file:${from}` });
  try {
    await client.execute({ sql: "VACUUM INTO ?", args: [to] });
  } finally {
    client.close();
  }
}

/** Sequential requests, one at a time: the latency of a request on a server that has nothing else to do. */
export async function unloaded(url: string, headers: Record<string, string>, maxRequests = 40, budgetMs = 4_000): Promise<{ p50: number; n: number }> {
  for (let i = 0; i < 3; i++) await (await fetch(url, { headers })).arrayBuffer();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < maxRequests && (times.length < 5 || performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), n: times.length };
}
