/**
 * The bank's sheet layout (题型, 题干, 选项A–F, 答案, 解析, 标签, 难度) and how a row becomes the API's
 * import row. Pure: the page maps columns by header text; the API reads the cells (单选, "ABD", 对…).
 */
export const TEMPLATE_HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "标签", "难度"] as const;
export const TEMPLATE_EXAMPLES = [
  ["单选", "中国共产党的最高领导机关是？", "党的全国代表大会和它所产生的中央委员会", "中央纪律检查委员会", "中央军事委员会", "", "", "", "A", "党章第十条。", "党章", "2"],
  ["多选", "“四个意识”包括哪些？", "政治意识", "大局意识", "核心意识", "看齐意识", "", "", "ABCD", "", "党章，理论", "中"],
  ["判断", "党员有权对党的决议和政策提出建议。", "", "", "", "", "", "", "对", "党章第四条。", "党章", ""],
  ["填空", "中国共产党成立于____年。", "", "", "", "", "", "", "1921", "多个空用；分隔，同一空的多个答案用|分隔。", "党史", ""],
];

const FIELDS: Record<string, string> = { 题型: "type", 题干: "stem", 选项A: "optionA", 选项B: "optionB", 选项C: "optionC", 选项D: "optionD", 选项E: "optionE", 选项F: "optionF", 答案: "answer", 解析: "explanation", 标签: "tags", 难度: "difficulty" };

export type SheetRow = Record<string, string | number> & { line: number };

const cell = (value: unknown) => (value === null || value === undefined ? "" : String(value).trim());

/** Sheet rows (header first) → import rows with their line numbers; blank lines are skipped. */
export function toQuestionRows(sheet: unknown[][]): SheetRow[] {
  const header = (sheet[0] ?? []).map((h) => FIELDS[cell(h).replace(/\s/g, "")]);
  const rows: SheetRow[] = [];
  sheet.slice(1).forEach((cells, i) => {
    if (cells.every((c) => cell(c) === "")) return;
    const row: SheetRow = { line: i + 2 };
    header.forEach((field, col) => {
      const value = cell(cells[col]);
      if (field && value) row[field] = value;
    });
    rows.push(row);
  });
  return rows;
}
