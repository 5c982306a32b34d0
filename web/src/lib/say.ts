import { ref } from "vue";
import { ApiProblem } from "../api";

/**
 * Short status messages ("已保存", a refusal's title), shown by App.vue in a live region that
 * screen readers announce. Vant's toasts are unnamed dialogs, which fails axe's dialog-name rule.
 */
export const spoken = ref<{ text: string; tone: "info" | "success" | "fail"; id: number } | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;
let counter = 0;

export function say(text: string, tone: "info" | "success" | "fail" = "info", ms = tone === "fail" ? 3500 : 2200) {
  spoken.value = { text, tone, id: ++counter };
  clearTimeout(timer);
  timer = setTimeout(() => (spoken.value = null), ms);
}

/**
 * What went wrong, in the person's language: the API's own words (a field's message first), 无网络
 * when the request never left the phone (fetch's TypeError), else the generic failure.
 */
export function failureText(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiProblem) return error.errors[0]?.message ?? error.detail ?? error.title;
  if (error instanceof TypeError) return t("common.noNetwork");
  return t("common.failed");
}
