import type { Context } from "hono";
import { validator as openapiValidator } from "hono-openapi";
import type { BaseIssue, GenericSchema } from "valibot";
import { textProblem } from "./fields.js";
import { type Lang, localise } from "./i18n.js";
import { type FieldError, ProblemError } from "./problem.js";

type Issue = BaseIssue<unknown> & { path?: { key: unknown }[] };

const typeNames: Record<string, { "zh-CN": string; en: string }> = {
  string: { "zh-CN": "字符串", en: "a string" },
  number: { "zh-CN": "数字", en: "a number" },
  boolean: { "zh-CN": "布尔值", en: "a boolean" },
  object: { "zh-CN": "对象", en: "an object" },
  array: { "zh-CN": "数组", en: "an array" },
  null: { "zh-CN": "null", en: "null" },
};

const describe = (t: string | null | undefined, lang: Lang) => (t && typeNames[t.replace(/"/g, "")]?.[lang]) ?? t ?? "";

/** valibot's messages are English; bureaus read Chinese, so the common issue kinds are worded here in both. */
export function issueMessage(issue: Issue, lang: Lang): string {
  const zh = lang === "zh-CN";
  // Our own messages are written "中文 / English": show the reader's half.
  if (issue.message.includes(" / ")) return localise(issue.message, lang);
  const req = String(issue.requirement ?? "");
  switch (issue.type) {
    case "strict_object":
    case "never":
      if (issue.received === "undefined") return zh ? "必填" : "Required";
      return zh ? "不允许的字段" : "Unknown field";
    case "min_length":
      return zh ? `长度不能少于 ${req}` : `Must have at least ${req} characters or items`;
    case "max_length":
      return zh ? `长度不能超过 ${req}` : `Must have at most ${req} characters or items`;
    case "non_empty":
      return zh ? "不能为空" : "Must not be empty";
    case "email":
      return zh ? "邮箱格式不正确" : "Must be an email address";
    case "regex":
      return zh ? "格式不正确" : "Has the wrong format";
    case "min_value":
      return zh ? `不能小于 ${req}` : `Must be at least ${req}`;
    case "max_value":
      return zh ? `不能大于 ${req}` : `Must be at most ${req}`;
    case "integer":
      return zh ? "必须是整数" : "Must be an integer";
    case "picklist":
    case "enum":
      return zh ? `必须是以下之一：${issue.expected}` : `Must be one of ${issue.expected}`;
    case "iso_date":
      return zh ? "日期格式应为 YYYY-MM-DD" : "Must be a date (YYYY-MM-DD)";
    case "iso_timestamp":
      return zh ? "时间格式应为 ISO 8601" : "Must be an ISO 8601 timestamp";
    default:
      if (issue.kind === "schema") {
        if (issue.received === "undefined") return zh ? "必填" : "Required";
        return zh ? `应为${describe(issue.expected, lang)}，实际为${describe(issue.received, lang)}` : `Expected ${describe(issue.expected, lang)} but received ${describe(issue.received, lang)}`;
      }
      return zh ? "值无效" : issue.message;
  }
}

export function issuePath(issue: Issue, prefix?: string): string {
  const keys = (issue.path ?? []).map((p) => String(p.key));
  return [prefix, ...keys].filter(Boolean).join(".") || (prefix ?? "");
}

export function toFieldErrors(issues: readonly Issue[], lang: Lang, prefix?: string): FieldError[] {
  return issues.map((issue) => ({ path: issuePath(issue, prefix), message: issueMessage(issue, lang) }));
}

/** A problem lists at most this many field errors and says how many it left out. */
export const MAX_FIELD_ERRORS = 20;

export function validationProblem(issues: readonly Issue[], lang: Lang, prefix?: string): ProblemError {
  const omitted = Math.max(0, issues.length - MAX_FIELD_ERRORS);
  const detail = omitted === 0 ? undefined : lang === "zh-CN" ? `共 ${issues.length} 处错误，列出前 ${MAX_FIELD_ERRORS} 处` : `${issues.length} errors; the first ${MAX_FIELD_ERRORS} are listed`;
  const problem = new ProblemError("validation.failed", { detail, errors: toFieldErrors(issues.slice(0, MAX_FIELD_ERRORS), lang, prefix) });
  if (omitted > 0) problem.errorsOmitted = omitted;
  return problem;
}

type Shape = GenericSchema & {
  type: string;
  pipe?: readonly { type: string; requirement?: unknown }[];
  wrapped?: Shape;
  entries?: Record<string, Shape>;
  item?: Shape;
};

const WRAPPERS = new Set(["optional", "exact_optional", "nullable", "nullish", "undefinedable", "non_optional", "non_nullable", "non_nullish"]);
const OBJECTS = new Set(["object", "strict_object", "loose_object", "object_with_rest"]);
const GENERIC_DEPTH = 32;

const maxLengthOf = (schema: Shape) => schema.pipe?.find((action) => action.type === "max_length")?.requirement as number | undefined;
const pathOf = (keys: readonly PropertyKey[]) => keys.map((key) => ({ key }));

/**
 * What must be refused before valibot looks at items: valibot checks every item of an array before
 * the array's maxLength, so a 1 MB array of wrong items cost ~500,000 issues (a 62 MB answer).
 * This walk follows the schema beside the input and stops at an array longer than its maxLength,
 * refuses an array where the schema wants an object (valibot lets `[]` pass as `{}`), and applies
 * the text rules of src/http/fields.ts to every string. Where it cannot follow the schema (unions,
 * records, unknown) it still checks strings, to a bounded depth.
 */
function earlyIssues(schema: Shape | undefined, value: unknown, keys: PropertyKey[], out: Issue[], depth = 0): void {
  if (typeof value === "string") {
    // A string far over its field's maxLength is refused before valibot runs its pipe (an email
    // regex over 1 MB took 0.8 s). The slack leaves what trim() would shorten to valibot to judge.
    while (schema && WRAPPERS.has(schema.type) && schema.wrapped) schema = schema.wrapped;
    const max = schema?.type === "string" ? maxLengthOf(schema) : undefined;
    if (max !== undefined && value.length > max * 2 + 64) {
      out.push({ kind: "validation", type: "max_length", input: undefined, expected: `<=${max}`, received: String(value.length), requirement: max, message: "", path: pathOf(keys) } as unknown as Issue);
      return;
    }
    const message = textProblem(value);
    if (message) out.push({ kind: "validation", type: "text", input: undefined, expected: null, received: "string", message, path: pathOf(keys) } as unknown as Issue);
    return;
  }
  if (value === null || typeof value !== "object") return;
  while (schema && WRAPPERS.has(schema.type) && schema.wrapped) schema = schema.wrapped;
  if (schema?.type === "array" && Array.isArray(value)) {
    const max = maxLengthOf(schema);
    if (max !== undefined && value.length > max) {
      out.push({ kind: "validation", type: "max_length", input: undefined, expected: `<=${max}`, received: String(value.length), requirement: max, message: "", path: pathOf(keys) } as unknown as Issue);
      return;
    }
    value.forEach((item, i) => earlyIssues(schema.item, item, [...keys, i], out, depth + 1));
    return;
  }
  if (schema && OBJECTS.has(schema.type) && schema.entries) {
    if (Array.isArray(value)) {
      out.push({ kind: "schema", type: "object", input: undefined, expected: "object", received: "array", message: "", path: pathOf(keys) } as unknown as Issue);
      return;
    }
    for (const key of Object.keys(schema.entries)) {
      if (Object.hasOwn(value, key)) earlyIssues(schema.entries[key], (value as Record<string, unknown>)[key], [...keys, key], out, depth + 1);
    }
    return;
  }
  // A shape this walk does not follow (union, record, unknown…) or a value of the wrong kind that
  // valibot will refuse anyway: strings are still checked, but not deeper than a real body goes.
  if (depth >= GENERIC_DEPTH) return;
  for (const [key, item] of Object.entries(value)) earlyIssues(undefined, item, [...keys, Array.isArray(value) ? Number(key) : key], out, depth + 1);
}

/** The schema, with `earlyIssues` run before valibot's own validation (and in its place when it finds any). */
function guarded<S extends GenericSchema>(schema: S): S {
  const standard = schema["~standard"];
  const validate = (value: unknown) => {
    const issues: Issue[] = [];
    earlyIssues(schema as unknown as Shape, value, [], issues);
    return issues.length > 0 ? { issues } : standard.validate(value);
  };
  // A child of the schema: hono-openapi still reads its type, entries and pipe for /openapi.json.
  return Object.create(schema, { "~standard": { value: { ...standard, validate } } }) as S;
}

type Target = "json" | "query" | "param" | "header";

/**
 * hono-openapi's validator (so the schema lands in /openapi.json) with a hook that answers
 * problem+json instead of its default `{success, error}` body.
 */
export function validate<T extends Target, S extends GenericSchema>(target: T, schema: S) {
  return openapiValidator(target, guarded(schema), (result, c) => {
    if (!result.success) {
      const prefix = target === "json" ? undefined : target;
      throw validationProblem(result.error as unknown as Issue[], (c as Context).get("lang") ?? "zh-CN", prefix);
    }
  });
}
