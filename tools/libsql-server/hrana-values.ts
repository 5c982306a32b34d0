// Hrana wire values, and binding them to SQL parameters, for the local libSQL server.
//
// The embedded `libsql` driver can only be given positional (array) arguments safely: binding an object
// aborts the whole process (a Rust panic) when the statement also has `?` parameters. So the server
// finds the parameter names itself (scanSql) and always binds an array in SQLite's parameter order.

export type HranaValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

/** A value as the `libsql` driver binds it and returns it with safeIntegers on. */
export type SqlValue = null | bigint | number | string | Uint8Array;

/** An error that goes back to the client as a Hrana `Error` ({message, code}). */
export class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export function decodeValue(v: unknown): SqlValue {
  const { type, value, base64 } = (v ?? {}) as Record<string, unknown>;
  if (type === "null") return null;
  if (type === "integer" && typeof value === "string" && /^-?\d{1,19}$/.test(value)) {
    const n = BigInt(value);
    if (n >= I64_MIN && n <= I64_MAX) return n;
  }
  if (type === "float" && typeof value === "number") return value;
  if (type === "text" && typeof value === "string") return value;
  if (type === "blob" && typeof base64 === "string") return Buffer.from(base64, "base64");
  throw new HranaError(`Invalid Hrana value: ${JSON.stringify(v)}`, "HRANA_PROTO_ERROR");
}

export function encodeValue(v: unknown): HranaValue {
  if (v === null) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  if (typeof v === "string") return { type: "text", value: v };
  if (v instanceof Uint8Array) return { type: "blob", base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  // JSON has no Infinity/NaN; sending null there would break the client's decoder with a vaguer error.
  if (typeof v === "number" && Number.isFinite(v)) return { type: "float", value: v };
  throw new HranaError(`Cannot encode the value ${String(v)} in Hrana JSON`, "HRANA_PROTO_ERROR");
}

/** What the server needs to know about an SQL text without parsing it. */
export interface SqlShape {
  /**
   * Parameter names by SQLite index - 1, prefix included (`:a`, `@a`, `$a`, `?3`); null for a bare `?`,
   * undefined for an index no parameter uses (`SELECT ?3` has three parameters).
   */
  params: (string | null | undefined)[];
  /** Non-empty statements, counting a CREATE TRIGGER (whose body holds `;`) as one. */
  statements: number;
  /** The first words of the first statement, upper-cased. */
  words: string[];
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

/** Where a quoted string or identifier that starts at `i` ends (SQL doubles the quote to escape it). */
function skipQuoted(sql: string, i: number, quote: string): number {
  for (let j = i + 1; ; j += 2) {
    j = sql.indexOf(quote, j);
    if (j < 0) return sql.length;
    if (sql[j + 1] !== quote) return j + 1;
  }
}

/** Follows SQLite's tokenizer closely enough to number parameters the way sqlite3_bind_* does. */
export function scanSql(sql: string): SqlShape {
  const params: (string | null | undefined)[] = [];
  const words: string[] = [];
  let statements = 0;
  let content = false;
  const setParam = (index: number, name: string | null) => {
    while (params.length < index) params.push(undefined);
    if (params[index - 1] === undefined) params[index - 1] = name;
  };
  const skipPast = (end: string, from: number) => {
    const j = sql.indexOf(end, from);
    return j < 0 ? sql.length : j + end.length;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    if (sql.startsWith("--", i)) {
      i = skipPast("\n", i);
      continue;
    }
    if (sql.startsWith("/*", i)) {
      i = skipPast("*/", i + 2);
      continue;
    }
    if (c === ";") {
      if (content) statements++;
      content = false;
      i++;
      continue;
    }
    content = true;
    if (c === "'" || c === '"' || c === "`") {
      i = skipQuoted(sql, i, c);
    } else if (c === "[") {
      i = skipPast("]", i);
    } else if (c === "?") {
      let j = i + 1;
      while (isDigit(sql[j])) j++;
      const n = j > i + 1 ? Number(sql.slice(i + 1, j)) : params.length + 1;
      // Out-of-range numbers are left for SQLite to reject when it prepares the statement.
      if (n >= 1 && n <= 32766) setParam(n, j > i + 1 ? sql.slice(i, j) : null);
      i = j;
    } else if ((c === ":" || c === "@" || c === "$") && isWordChar(sql[i + 1])) {
      let j = i + 1;
      while (isWordChar(sql[j])) j++;
      const name = sql.slice(i, j);
      if (!params.includes(name)) setParam(params.length + 1, name);
      i = j;
    } else if (isWordChar(c)) {
      let j = i;
      while (isWordChar(sql[j])) j++;
      if (statements === 0 && words.length < 4) words.push(sql.slice(i, j).toUpperCase());
      i = j;
    } else {
      i++;
    }
  }
  if (content) statements++;
  const trigger = words[0] === "CREATE" && (words[1] === "TRIGGER" || words[2] === "TRIGGER");
  return { params, statements: trigger ? Math.min(statements, 1) : statements, words };
}

export interface NamedArg {
  name: string;
  value: unknown;
}

/**
 * Builds the positional array for the driver. Per the Hrana spec an argument the statement does not take,
 * or a parameter left without an argument, is an error (the driver would silently bind NULL).
 */
export function bindArgs(params: SqlShape["params"], args: unknown[], namedArgs: NamedArg[]): SqlValue[] {
  if (args.length > params.length) {
    throw new HranaError(`The statement takes ${params.length} arguments, got ${args.length} positional ones`, "ARGS_INVALID");
  }
  const bound: (SqlValue | undefined)[] = params.map((_, i) => (i < args.length ? decodeValue(args[i]) : undefined));
  for (const { name, value } of namedArgs) {
    // Clients usually send names without the prefix (`{ id: 1 }` for `:id`); the spec says to guess it.
    const candidates = /^[:@$?]/.test(name) ? [name] : [`:${name}`, `@${name}`, `$${name}`];
    const index = params.findIndex((p) => p != null && candidates.includes(p));
    if (index < 0) throw new HranaError(`The statement has no parameter named ${JSON.stringify(name)}`, "ARGS_INVALID");
    bound[index] = decodeValue(value);
  }
  return params.map((name, i) => {
    const value = bound[i];
    if (value !== undefined) return value;
    if (name === undefined) return null;
    throw new HranaError(`Missing argument for parameter ${i + 1}${name ? ` (${name})` : ""}`, "ARGS_INVALID");
  });
}
