import type { Lang } from "../http/i18n.js";

/**
 * What preview and publish say about dates computed without a year's official arrangement, in the
 * reader's language: the dates are weekends-only for now and will move by themselves when it arrives.
 */
export function provisionalNotice(years: number[], lang: Lang): string | null {
  if (years.length === 0) return null;
  const list = years.join(lang === "en" ? ", " : "、");
  return lang === "en"
    ? `China's official holiday arrangement for ${list} has not been published yet: these dates count weekends only for now, and will be re-rolled automatically when it is imported.`
    : `${list} 年的法定节假日安排尚未公布：以下日期暂按周末推算（标注为 calendarProvisional），国务院公布并导入后将自动重新计算。`;
}
