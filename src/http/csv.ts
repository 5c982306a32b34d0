import type { Context } from "hono";

/** What every report route's description says of CSV (one wording, /openapi.json). */
export const CSV_DESCRIPTION = "JSON by default; `Accept: text/csv` (or `?format=csv`, for a link a person clicks) answers UTF-8 CSV with a byte-order mark (Excel and WPS read the Chinese), headers in the reader's language (`Accept-Language`).";

/** A client asked for CSV: `Accept: text/csv` (or `?format=csv`, for a link a person clicks). */
export const wantsCsv = (c: Context) => /\btext\/csv\b/i.test(c.req.header("accept") ?? "") || c.req.query("format") === "csv";

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  // Quote what CSV needs quoted; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * UTF-8 with a byte-order mark and CRLF lines: what Excel and WPS need to open Chinese text
 * correctly by double-click.
 */
export function csvResponse(filename: string, header: string[], rows: unknown[][]): Response {
  const body = "\uFEFF" + [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    },
  });
}
