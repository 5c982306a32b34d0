import type { Context } from "hono";
import { validator as openapiValidator } from "hono-openapi";
import type { BaseIssue, GenericSchema } from "valibot";
import type { Lang } from "./i18n.js";
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
  const bilingual = issue.message.split(" / ");
  if (bilingual.length === 2) return (zh ? bilingual[0] : bilingual[1])!;
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

type Target = "json" | "query" | "param" | "header";

/**
 * hono-openapi's validator (so the schema lands in /openapi.json) with a hook that answers
 * problem+json instead of its default `{success, error}` body.
 */
export function validate<T extends Target, S extends GenericSchema>(target: T, schema: S) {
  return openapiValidator(target, schema, (result, c) => {
    if (!result.success) {
      const prefix = target === "json" ? undefined : target;
      throw new ProblemError(400, "validation.failed", undefined, toFieldErrors(result.error as unknown as Issue[], (c as Context).get("lang") ?? "zh-CN", prefix));
    }
  });
}
