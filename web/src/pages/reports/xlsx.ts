import type { GroupBy, LedgerRow } from "./ledger";
import { completion } from "./ledger";

type Columns = Record<"rank" | "member" | "branch" | "branchOf" | "assigned" | "done" | "onTime" | "late" | "overdue" | "open" | "shortfall" | "returns" | "points" | "rate", string>;

/**
 * The ledger as a worksheet: a title row (bureau, period, grouping) spanning the table, a bold header
 * row in the reader's language, then one row per member or branch. Both top rows stay frozen.
 * Made in the browser from the JSON, so the Worker carries no spreadsheet library.
 */
export function ledgerSheet(rows: LedgerRow[], groupBy: GroupBy, title: string, h: Columns) {
  const keys = ["rank", groupBy, ...(groupBy === "member" ? ["branchOf"] : []), "assigned", "done", "onTime", "late", "overdue", "open", "shortfall", "returns", "points", "rate"] as (keyof Columns)[];
  const header = keys.map((k) => ({ value: h[k], fontWeight: "bold" as const, align: "center" as const }));
  const body = rows.map((r) =>
    keys.map((k) => {
      if (k === "member" || k === "branch") return { value: r.name };
      if (k === "branchOf") return { value: r.branchName ?? "" };
      if (k === "rate") {
        const rate = completion(r);
        return rate === null ? null : { value: rate / 100, type: Number, format: "0%" };
      }
      return { value: r[k as "rank" | "assigned" | "done" | "onTime" | "late" | "overdue" | "open" | "shortfall" | "returns" | "points"], type: Number };
    }),
  );
  const titleRow = [{ value: title, fontWeight: "bold" as const, columnSpan: keys.length }, ...keys.slice(1).map(() => null)];
  const columns = keys.map((k) => ({ width: k === "member" || k === "branch" ? 18 : k === "branchOf" ? 22 : 10 }));
  return { data: [titleRow, header, ...body], columns, stickyRowsCount: 2 };
}

/** Any report table as a worksheet: the same title row, bold header row and frozen top rows as the ledger. */
export function tableSheet(title: string, header: string[], rows: (string | number | null)[][], widths: number[]) {
  const cell = (value: string | number | null) => (value === null ? null : typeof value === "number" ? { value, type: Number } : { value });
  return {
    data: [[{ value: title, fontWeight: "bold" as const, columnSpan: header.length }, ...header.slice(1).map(() => null)], header.map((value) => ({ value, fontWeight: "bold" as const, align: "center" as const })), ...rows.map((r) => r.map(cell))],
    columns: widths.map((width) => ({ width })),
    stickyRowsCount: 2,
  };
}

/** Builds the file with the spreadsheet library loaded on demand (not in the first load) and saves it. */
export async function downloadLedger(fileName: string, sheet: { data: unknown[]; columns: { width: number }[]; stickyRowsCount: number }) {
  const { default: writeXlsxFile } = await import("write-excel-file/browser");
  // The library's cell types are stricter than this plain shape; the values are what it documents.
  await writeXlsxFile(sheet.data as never, { columns: sheet.columns, stickyRowsCount: sheet.stickyRowsCount }).toFile(fileName);
}
