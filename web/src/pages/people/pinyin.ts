/**
 * Pinyin initials for member search (马西 → "mx"), computed here because the Worker cannot carry a
 * pinyin dictionary (docs/adr/0003). pinyin-pro is loaded only by the pages that need it.
 */
export async function initialsOf(names: string[]): Promise<string[]> {
  const { pinyin } = await import("pinyin-pro");
  return names.map((name) =>
    pinyin(name, { pattern: "first", toneType: "none", mode: "surname", type: "array", nonZh: "removed" })
      .join("")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .slice(0, 100),
  );
}
