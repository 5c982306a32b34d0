import { expect } from "vitest";
import { type Api, STRONG_PASSWORD } from "../support/api.js";

/** Sheet rows in the layout bureaus use (题型, 题干, 选项A–F, 答案, 解析, 标签), as the console sends them. */
export const sheetRows = () => [
  { line: 2, type: "单选", stem: "中国共产党的最高领导机关是？", optionA: "党的全国代表大会和它所产生的中央委员会", optionB: "中央纪律检查委员会", optionC: "中央军事委员会", answer: "A", explanation: "党章第十条：党的最高领导机关，是党的全国代表大会和它所产生的中央委员会。", tags: "党章", difficulty: "2" },
  { line: 3, type: "多选", stem: "“四个意识”包括哪些？", optionA: "政治意识", optionB: "大局意识", optionC: "核心意识", optionD: "看齐意识", optionE: "服务意识", answer: "ABCD", explanation: "政治意识、大局意识、核心意识、看齐意识。", tags: "党章，理论", difficulty: "中" },
  { line: 4, type: "判断", stem: "党员有权对党的决议和政策提出建议。", answer: "对", explanation: "党章第四条规定的党员权利。", tags: "党章" },
  { line: 5, type: "填空", stem: "中国共产党成立于____年，____召开第一次全国代表大会。", answer: "1921；上海|嘉兴", explanation: "1921 年 7 月在上海召开，后转至嘉兴南湖。", tags: "党史" },
  { line: 6, type: "单选", stem: "安全生产工作坚持什么方针？", optionA: "安全第一、预防为主、综合治理", optionB: "效益优先", answer: "A", explanation: "《安全生产法》第三条。", tags: "安全生产" },
];

/** The five questions answered right (by stem), in the form an attempt's items ask for. */
export const rightAnswers: Record<string, string[]> = {
  "中国共产党的最高领导机关是？": ["A"],
  "“四个意识”包括哪些？": ["A", "B", "C", "D"],
  "党员有权对党的决议和政策提出建议。": ["T"],
  "中国共产党成立于____年，____召开第一次全国代表大会。": ["1921", "嘉兴"],
  "安全生产工作坚持什么方针？": ["A"],
};

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

export const paperBody = (questionIds: string[], overrides: Record<string, unknown> = {}) => ({
  title: "党务知识在线竞技",
  mode: "fixed",
  questionIds,
  pointsPerType: { single: 2, multiple: 4, judge: 1, fill: 3 },
  passMark: 8,
  timeLimitMinutes: 60,
  opensAt: ago(60_000),
  closesAt: ahead(7 * 86_400_000),
  attemptsAllowed: 2,
  ...overrides,
});

/** 机关党委 → 第一支部 (secretary 刘, members 钱 and 孙) and 第二支部 (李); a bank of five imported questions. */
export async function examBureau(api: Api) {
  const t = await api.signUp();
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const branch = await api.createBranch(admin, { name: "第一支部", kind: "branch", parentId: committee.id });
  const other = await api.createBranch(admin, { name: "第二支部", kind: "branch", parentId: committee.id });
  const sec = await api.addMember(admin, { branchId: branch.id, name: "刘书记" });
  expect((await api.patch(`/v1/branches/${branch.id}`, { secretaryId: sec.id }, admin)).status).toBe(200);
  const secLogin = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: sec.email, password: STRONG_PASSWORD });
  const member = await api.addMember(admin, { branchId: branch.id, name: "钱小明" });
  const peer = await api.addMember(admin, { branchId: branch.id, name: "孙党员" });
  const outsider = await api.addMember(admin, { branchId: other.id, name: "李党员" });
  const imported = await api.post("/v1/exams/questions/import", { rows: sheetRows() }, admin);
  expect(imported.status).toBe(200);
  const questionIds = imported.body.rows.map((r: { questionId: string }) => r.questionId) as string[];
  return { t, admin, committee, branch, other, secretary: { ...sec, accessToken: secLogin.body.accessToken as string }, member, peer, outsider, questionIds };
}
export type ExamBureau = Awaited<ReturnType<typeof examBureau>>;

export async function publishedPaper(api: Api, b: ExamBureau, overrides: Record<string, unknown> = {}) {
  const made = await api.post("/v1/exams/papers", paperBody(b.questionIds, overrides), b.admin);
  expect(made.status).toBe(201);
  const published = await api.post(`/v1/exams/papers/${made.body.id}/publish`, {}, b.admin);
  expect(published.status).toBe(200);
  return made.body.id as string;
}

/** Answers every item of an attempt: right for the stems in `right`, wrong for the rest. */
export async function answerAll(api: Api, token: string, attempt: { id: string; items: { position: number; stem: string; type: string }[] }, right: (stem: string) => boolean, rev = 1) {
  for (const item of attempt.items) {
    const answer = right(item.stem) ? rightAnswers[item.stem]! : item.type === "judge" ? ["F"] : item.type === "fill" ? ["1949", "北京"] : ["B"];
    const saved = await api.put(`/v1/exams/attempts/${attempt.id}/answers/${item.position}`, { answer, rev }, token);
    expect(saved.status).toBe(200);
  }
}
