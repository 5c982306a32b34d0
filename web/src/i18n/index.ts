import { createI18n } from "vue-i18n";
import { Locale } from "vant";
import vantEn from "vant/es/locale/lang/en-US";
import vantZh from "vant/es/locale/lang/zh-CN";
import type { AreaMessages, LazyAreaMessages, Messages } from "../area";
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

/** Message keys whose words come later, and the one fetch each (both languages at once: switching language costs nothing). */
const pending = new Map<string, () => Promise<{ zhCN: Messages; en: Messages }>>();
const loading = new Map<string, Promise<void>>();

/** An area's messages: merged now when inline, else registered to load with its first page. */
export function registerMessages(messages: AreaMessages | LazyAreaMessages) {
  if (!("load" in messages)) return addMessages(messages.key, messages);
  if (messages.shell) addMessages(messages.key, messages.shell);
  pending.set(messages.key, messages.load);
}

/**
 * Loads the messages of these keys once. A key with nothing to load (inline, or unknown) is done;
 * a failed fetch (no network) is forgotten so the next page tries again, and the page shows its keys.
 */
export function loadMessages(keys: readonly string[]): Promise<void> {
  return Promise.all(
    keys.map((key) => {
      const load = pending.get(key);
      if (!load) return undefined;
      let once = loading.get(key);
      if (!once) {
        once = load().then(
          ({ zhCN, en }) => {
            addMessages(key, { "zh-CN": zhCN, en });
            pending.delete(key);
          },
          () => void loading.delete(key),
        );
        loading.set(key, once);
      }
      return once;
    }),
  ).then(() => undefined);
}

/** `t` outside components (router guards, api helpers). */
export const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key));
