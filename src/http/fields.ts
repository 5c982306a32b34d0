import * as v from "valibot";
import { strongEnough } from "../modules/auth/password-strength.js";

/** Field schemas shared by several resources; each keeps the same limits wherever it appears. */

// ---- Text rules: one home. `validate()` (src/http/validation.ts) applies `textProblem` to every
// string of every request; `lineText` adds the rules of a one-line name or title.

// C0 controls except tab, LF and CR-before-LF (long text may hold line breaks), DEL, the bidi
// embeddings/overrides/isolates (they make a name display as something else), and lone surrogates
// (SQLite stores UTF-8, so one would not read back as written). NUL is in C0: libSQL cuts text at it.
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const TEXT_PROBLEM = "不能包含控制字符、文字方向控制符或不完整的字符 / Must not contain control characters, bidirectional controls or broken characters";

/** The message for a string no field may hold, or undefined when it is fine. */
export const textProblem = (text: string): string | undefined => (FORBIDDEN_IN_TEXT.test(text) ? TEXT_PROBLEM : undefined);

// What a reader cannot see: white space, zero-width and other default-ignorable characters
// (U+200B…U+200D, U+2060, U+FEFF, variation selectors, U+3164 Hangul filler…), format and control
// characters, marks with no base, and the blank braille pattern.
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{M}\u2800\u3164\uFFA0]/gu;
export const looksBlank = (text: string) => text.replace(INVISIBLE, "") === "";

/** A name or title: one line, trimmed, 1…max characters, and something a reader can see. */
export const lineText = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1),
    v.maxLength(max),
    v.check((t) => !/[\t\n\r]/.test(t), "只能写一行 / Must be a single line"),
    v.check((t) => t === "" || !looksBlank(t), "不能只有空白或不可见字符 / Must contain visible characters"),
  );

export const emailField = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email());

export const nameField = lineText(100);

const PASSWORD_CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

/**
 * At least 10 characters from at least two of lower case, upper case, digits and symbols, and hard
 * enough to guess (modules/auth/password-strength.ts): one rule for signup, invitations, resets and changes.
 */
export const passwordField = v.pipe(
  v.string(),
  v.minLength(10),
  v.maxLength(128),
  v.check((p) => PASSWORD_CLASSES.filter((re) => re.test(p)).length >= 2, "密码须包含字母、数字或符号中的至少两类 / The password needs at least two of letters, digits and symbols"),
  v.check((p) => new Set(p).size >= 4, "密码过于简单 / The password is too simple"),
  v.check(strongEnough, "密码太容易被猜到（常见密码、连续或重复字符），请换一个更长、更少见的 / The password is too easy to guess (a common password, a run or a repeat): choose a longer, less common one"),
);

export const idField = (prefix: string) => v.pipe(v.string(), v.maxLength(40), v.regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`)));

export const timestampOut = v.pipe(v.string(), v.isoTimestamp());

export const isValidTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const timezoneField = v.pipe(v.string(), v.maxLength(64), v.check(isValidTimeZone, "未知时区 / Unknown time zone"));

export const localeField = v.picklist(["zh-CN", "en"]);

/** Mainland China mobile numbers: 11 digits starting 13–19; "+86", spaces and dashes are dropped. */
export const normalisePhone = (raw: string) => raw.replace(/[\s-]/g, "").replace(/^(\+86|0086)/, "");
export const MAINLAND_MOBILE = /^1[3-9][0-9]{9}$/;
export const phoneField = v.pipe(
  v.string(),
  v.maxLength(30),
  v.transform(normalisePhone),
  v.regex(MAINLAND_MOBILE, "须为中国大陆手机号（11 位） / Must be a mainland China mobile number (11 digits)"),
);

/** Pinyin initials of a name for search, computed by the console ("mx"; 多音字 alternatives space-separated). */
export const nameInitialsField = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(100),
  v.regex(/^[a-z0-9]*( [a-z0-9]+)*$/, "须为拼音首字母，如 mx / Must be pinyin initials such as mx"),
);

// ---- Dates and years: one home (checklists, tasks, projects, pledges, reports and the public board
// all read these, so `2026-02-31` or `?year=0000` gets the same answer everywhere).

const realDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** YYYY-MM-DD in the tenant's zone, and a day that exists (valibot's isoDate alone lets 2026-02-31 through). */
export const dateField = v.pipe(v.string(), v.maxLength(10), v.isoDate(), v.check(realDate, "日期不存在 / No such date"));

export const YEAR_MIN = 2000;
export const YEAR_MAX = 2100;

/** A working year in a body. */
export const yearField = v.pipe(v.number(), v.integer(), v.minValue(YEAR_MIN), v.maxValue(YEAR_MAX));

/** The same year as a query parameter (`?year=2026`): four digits, in range, or 400. */
export const yearQuery = v.pipe(v.string(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(YEAR_MIN), v.maxValue(YEAR_MAX));
