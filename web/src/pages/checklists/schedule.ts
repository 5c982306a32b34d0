import { ref } from "vue";
import { api, ok } from "../../api";
import { currentLocale } from "../../i18n";
import type { Item, Preset } from "./types";

/** The presets, fetched once per page load (they are a contract: ids and parameters never change). */
const presets = ref<Preset[]>([]);
let loading: Promise<Preset[]> | undefined;
export function usePresets() {
  loading ??= ok(api.v1.schedules.presets.$get()).then((r) => (presets.value = r.data));
  return { presets, ready: loading };
}

/** 「每季度末」, 「每月25日」, 「每年7月1日」, or the single date: how an item's schedule reads in a list. */
export function scheduleText(item: Pick<Item, "preset" | "recurrence" | "dueDate">, list: Preset[], weekday: (code: string) => string): string {
  if (item.dueDate) return item.dueDate;
  const choice = item.preset;
  const preset = choice && list.find((p) => p.id === choice.id);
  if (!preset) return item.recurrence ?? "";
  const lang = currentLocale() === "en" ? "en" : "zh-CN";
  let label = preset.label[lang];
  // Parameters fill their letters (每月N日 → 每月25日, 每年M月D日 → 每年7月1日); a weekday is appended.
  for (const p of preset.parameters) {
    const value = choice[p.name];
    if (p.type === "weekday") label = `${label} ${weekday(String(value))}`;
    else if (p.name === "day") label = label.replace("N", String(value)).replace("D", String(value));
    else if (p.name === "month") label = label.replace("M", String(value));
  }
  return label === preset.label[lang] && preset.parameters.length ? `${label}: ${preset.parameters.map((p) => choice[p.name]).join("/")}` : label;
}
