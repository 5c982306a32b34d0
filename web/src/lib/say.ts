import { ref } from "vue";

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
