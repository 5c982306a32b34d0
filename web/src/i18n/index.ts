import { createI18n } from "vue-i18n";
import { Locale } from "vant";
import vantEn from "vant/es/locale/lang/en-US";
import vantZh from "vant/es/locale/lang/zh-CN";
import type { Messages } from "../area";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export type ConsoleLocale = "zh-CN" | "en";
const STORED = "qd.locale";

function initialLocale(): ConsoleLocale {
  const stored = localStorage.getItem(STORED);
  if (stored === "zh-CN" || stored === "en") return stored;
  // Chinese first: English only for a browser that prefers English over Chinese.
  for (const lang of navigator.languages ?? []) {
    if (lang.toLowerCase().startsWith("zh")) return "zh-CN";
    if (lang.toLowerCase().startsWith("en")) return "en";
  }
  return "zh-CN";
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

export function currentLocale(): ConsoleLocale {
  return i18n.global.locale.value as ConsoleLocale;
}

export function setLocale(locale: ConsoleLocale) {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORED, locale);
  applyLocale(locale);
}

export function applyLocale(locale = currentLocale()) {
  document.documentElement.lang = locale;
  if (locale === "en") Locale.use("en-US", vantEn);
  else Locale.use("zh-CN", vantZh);
}

export function addMessages(key: string, messages: { "zh-CN": Messages; en: Messages }) {
  i18n.global.mergeLocaleMessage("zh-CN", { [key]: messages["zh-CN"] });
  i18n.global.mergeLocaleMessage("en", { [key]: messages.en });
}

/** `t` outside components (router guards, api helpers). */
export const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key));
