import type { PledgePublicNameMode } from "../../db/tenant/schema.js";

/** Two-character surnames common enough that 欧阳明 should read 欧阳*, not 欧**. */
const COMPOUND_SURNAMES = new Set([
  "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "澹台", "公冶", "宗政", "濮阳", "端木", "申屠", "太史", "呼延", "南宫", "百里", "独孤", "西门", "万俟", "闻人", "赫连", "第五",
]);

/**
 * A name as the bureau chooses to show it on the public board: in full, as the surname with the
 * given name masked (王**, 欧阳*; "J. Smith" → "Smith"), or not at all.
 */
export function publicName(name: string | null, mode: PledgePublicNameMode): string | null {
  if (!name || mode === "hidden") return null;
  if (mode === "full") return name;
  const trimmed = name.trim();
  if (/\s/.test(trimmed)) {
    // A name written in Latin letters: the family name is usually last.
    const words = trimmed.split(/\s+/);
    return words[words.length - 1]!;
  }
  const chars = [...trimmed];
  const surnameLength = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join("")) ? 2 : 1;
  return chars.slice(0, surnameLength).join("") + "*".repeat(Math.max(1, chars.length - surnameLength));
}
