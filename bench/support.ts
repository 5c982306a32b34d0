// Shared bits of the bench: temp dirs, the fixed settings every part runs with, and formatting.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One row of the results table: every part contributes rows to the same table. */
export interface Row {
  part: string;
  case: string;
  result: string;
  relative: string;
  note: string;
}

/** Same secret in the bench process and the server child, so the bench can sign access tokens itself. */
export const BENCH_JWT_SECRET = "bench-secret-bench-secret-bench-secret-0123456789";
export const BENCH_PASSWORD = "Qingdan-2026-bench";

/** Env for nodePorts / the server child: silent logs, tokens that outlive a long run. */
export function benchEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: dataDir, LOG: "silent", JWT_SECRET: BENCH_JWT_SECRET, ACCESS_TOKEN_SECONDS: "7200", PUBLIC_URL: "http://127.0.0.1:8787", ...extra };
}

/** A fresh dir under os.tmpdir(); callers remove it in a finally block. */
export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `qingdan-bench-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Percentile by nearest rank over an unsorted list (sorted copy). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}
export const fmtMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const fmtKiB = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** A row saying a part failed, so one broken part does not hide the others' figures. */
export const failedRow = (part: string, error: unknown): Row => ({
  part,
  case: "(failed)",
  result: "–",
  relative: "–",
  note: (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200),
});

export function markdownTable(rows: Row[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = ["| part | case | result | relative | note |", "|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${[r.part, r.case, r.result, r.relative, r.note].map(cell).join(" | ")} |`);
  return lines.join("\n");
}

/**
 * Longer findings a part wants kept beside the table (query plans, say): printed after it in
 * bench/RESULTS.md, in the order the parts ran.
 */
const appendices: string[] = [];
export const addAppendix = (markdown: string) => void appendices.push(markdown.trim());
export const takeAppendices = () => appendices.splice(0);

/** The token of the first signup confirmation link among captured emails (a bureau invites nobody until it confirms). */
export function confirmationToken(mails: { text?: string }[]): string {
  const link = mails.flatMap((m) => m.text?.match(/\/confirm#token=[^\s)]+/g) ?? [])[0];
  if (!link) throw new Error("no confirmation link in the signup email");
  return decodeURIComponent(link.replace("/confirm#token=", ""));
}
