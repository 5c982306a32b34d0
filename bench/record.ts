// The bench's record: bench/results/<part>.json keeps, per part, the rows, appendices and method notes of
// the last run that measured it, with that run's date and load. bench/RESULTS.md is rendered from
// it, so a run of a few parts (BENCH_ONLY / BENCH_SKIP) replaces those parts and leaves the others
// as they were, each still saying when it was measured — nothing is dropped or duplicated.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownTable, type Row } from "./support.js";

export interface PartRecord {
  /** ISO date of the run that measured this part. */
  date: string;
  /** Load average (1 / 5 / 15 min) when the part ended: the machine is shared. */
  load: number[];
  machine: string;
  /** What the part measures and how, for the header's method notes. */
  method?: string;
  rows: Row[];
  appendices: string[];
}

export interface BenchRecord {
  parts: Record<string, PartRecord>;
}

// One file per part, so engineers who bench different parts never conflict; RESULTS.md is only a
// rendering (on a merge conflict there, run `npm run bench:render`).
const recordDir = fileURLToPath(new URL("./results/", import.meta.url));
const resultsPath = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const fileOf = (label: string) => resolve(recordDir, `${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.json`);

export function readRecord(): BenchRecord {
  const parts: Record<string, PartRecord> = {};
  let files: string[] = [];
  try {
    files = readdirSync(recordDir).filter((f) => f.endsWith(".json"));
  } catch {}
  for (const f of files) {
    const { label, ...part } = JSON.parse(readFileSync(resolve(recordDir, f), "utf8")) as PartRecord & { label: string };
    parts[label] = part;
  }
  return { parts };
}

/** Parts sort by their number ("12 hot path" after "9 reminders"). */
const partNumber = (label: string) => Number.parseInt(label, 10) || 0;

export function renderRecord(record: BenchRecord, run: { date: string; seconds: number; settings: string; ran: string[] }): string {
  const labels = Object.keys(record.parts).sort((a, b) => partNumber(a) - partNumber(b));
  const load = (p: PartRecord) => (p.load.length ? p.load.map((l) => l.toFixed(1)).join(" / ") : "not recorded");
  const header = [
    "# qingdan bench",
    "",
    `- last run: ${run.date} (${run.seconds} s) measured ${run.ran.length ? run.ran.join(", ") : "nothing"}; settings: ${run.settings}`,
    "- each part's figures are from the run dated below; the machine is shared, so prefer CPU per request and ratios measured in the same run to req/s",
    "- server: a child Node process (bench/server-child.ts: nodePorts + createApp + serveApp, as npm start, on 127.0.0.1, port 0, file tenant DBs); autocannon runs in the bench process. Latency percentiles are computed from autocannon's per-response times (sub-ms). Round trips: app in-process, tenant and control DBs on tools/libsql-server over HTTP (as the Worker has them), counted per request after warm-up.",
    ...labels.flatMap((l) => (record.parts[l]!.method ? [`- ${l}: ${record.parts[l]!.method}`] : [])),
    "",
    "| part | measured | load average at its end (1 / 5 / 15 min) | machine |",
    "|---|---|---|---|",
    ...labels.map((l) => `| ${l} | ${record.parts[l]!.date} | ${load(record.parts[l]!)} | ${record.parts[l]!.machine} |`),
    "",
  ].join("\n");
  const rows = labels.flatMap((l) => record.parts[l]!.rows);
  const appendices = labels.flatMap((l) => record.parts[l]!.appendices);
  return `${header}\n${markdownTable(rows)}\n${appendices.map((a) => `\n${a.trim()}\n`).join("")}`;
}

/** Writes the parts a run measured and the rendering of the whole record. */
export function writeRecord(record: BenchRecord, measured: string[], markdown: string): void {
  mkdirSync(recordDir, { recursive: true });
  for (const label of measured) writeFileSync(fileOf(label), `${JSON.stringify({ label, ...record.parts[label] }, null, 1)}\n`);
  writeFileSync(resultsPath, markdown);
}

/** `npm run bench:render`: RESULTS.md again from bench/results/ (after a merge, say). */
export function renderAgain(): void {
  const record = readRecord();
  const latest = Object.values(record.parts).map((p) => p.date).sort().at(-1) ?? "never";
  writeRecord(record, [], renderRecord(record, { date: latest, seconds: 0, settings: "re-rendered from bench/results/", ran: [] }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) renderAgain();
