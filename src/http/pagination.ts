import * as v from "valibot";
import { fromBase64Url, toBase64Url } from "../platform/crypto.js";
import { ProblemError } from "./problem.js";

export const pageQuery = {
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(200)), "50"),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
};

/** Cursors are opaque to clients: the sort key of the last row, base64url JSON. */
export function encodeCursor(key: unknown[]): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(key)));
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === "string")) return key as string[];
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError("validation.failed", { errors: [{ path: "query.cursor", message: "无效的游标 / Invalid cursor" }] });
}

/** Services fetch limit + 1 rows; the extra one only says whether another page exists. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => string[]) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

export const pageOf = <T extends v.GenericSchema>(item: T) => v.object({ data: v.array(item), nextCursor: v.nullable(v.string()) });
