import { computed, onBeforeUnmount, ref } from "vue";

/** 红黄绿: red once past due, yellow within a day of it, green before that. */
export type Tone = "red" | "yellow" | "green";

const DAY = 86_400_000;

export function toneOf(dueAt: string | Date, now: number): Tone {
  const left = new Date(dueAt).getTime() - now;
  if (left < 0) return "red";
  return left <= DAY ? "yellow" : "green";
}

/** 「剩 2 天 3 小时」「超时 5 小时」, in the page's language. */
export function timeLeft(dueAt: string | Date, now: number, t: (key: string, named?: Record<string, unknown>) => string): string {
  const ms = new Date(dueAt).getTime() - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / 3_600_000);
  const minutes = Math.max(1, Math.floor((abs % 3_600_000) / 60_000));
  const span = days > 0 ? t("field.span.dh", { d: days, h: hours }) : hours > 0 ? t("field.span.hm", { h: hours, m: minutes }) : t("field.span.m", { m: minutes });
  return ms < 0 ? t("field.overdueBy", { span }) : t("field.leftIn", { span });
}

/** A clock that ticks every half minute while the page is open: countdowns move without a reload. */
export function useNow(everyMs = 30_000) {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onBeforeUnmount(() => clearInterval(timer));
  return computed(() => now.value);
}

/** Vant tag types for the tones (the theme's red, warning orange, success green). */
export const tagType = { red: "danger", yellow: "warning", green: "success" } as const;

/** A local date-time the way people read it: 12月3日 16:00. */
export function shortTime(iso: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(iso));
}

export function shortDate(iso: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(new Date(iso.length === 10 ? `${iso}T00:00:00` : iso));
}
