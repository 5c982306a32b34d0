import * as v from "valibot";

/** Field schemas shared by several resources; each keeps the same limits wherever it appears. */

export const emailField = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email());

export const nameField = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));

const PASSWORD_CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

/** At least 10 characters from at least two of lower case, upper case, digits and symbols. */
export const passwordField = v.pipe(
  v.string(),
  v.minLength(10),
  v.maxLength(128),
  v.check((p) => PASSWORD_CLASSES.filter((re) => re.test(p)).length >= 2, "密码须包含字母、数字或符号中的至少两类 / The password needs at least two of letters, digits and symbols"),
  v.check((p) => new Set(p).size >= 4, "密码过于简单 / The password is too simple"),
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
