export type Lang = "zh-CN" | "en";

/** zh-CN unless the client prefers English; bureaus work in Chinese. */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return "zh-CN";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return "zh-CN";
}

/**
 * Our own messages are written "中文 / English" (one string, both halves side by side in the code):
 * an answer shows only the reader's half, so a zh-CN answer has no English and an English one no Chinese.
 */
export function localise(text: string, lang: Lang): string {
  const halves = text.split(" / ");
  if (halves.length !== 2) return text;
  return (lang === "zh-CN" ? halves[0] : halves[1])!;
}
