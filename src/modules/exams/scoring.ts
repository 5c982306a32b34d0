import type { AnswerKey, PointsPerType, QuestionType } from "../../db/tenant/exams.js";

/** Full-width letters and digits, spaces and case do not make a blank wrong: "ＡＢ" is "ab", "一 九 二 一" is "一九二一". */
const normalise = (text: string) => text.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

/** Alternatives accepted for one blank: "北京|北平" (also the full-width ｜). */
export const alternatives = (blank: string) => blank.split(/[|｜]/).map(normalise).filter(Boolean);

/** Whether an answer is right: choices and true/false all-or-nothing; fill-in every blank, in order. */
export function isCorrect(type: QuestionType, key: AnswerKey, given: string[] | null | undefined): boolean {
  if (!given || given.length === 0) return false;
  if (type === "fill") return given.length === key.length && key.every((blank, i) => alternatives(blank).includes(normalise(given[i] ?? "")));
  const want = [...new Set(key.map((k) => k.toUpperCase()))].sort().join();
  const got = [...new Set(given.map((k) => k.trim().toUpperCase()))].sort().join();
  return want === got;
}

export const pointsFor = (type: QuestionType, perType: PointsPerType) => perType[type];

/** Random words from WebCrypto drawn 1,024 at a time: a start shuffles a paper and each question's options (~100 shuffles), one call each cost ~8 µs. */
const pool = new Uint32Array(1024);
let used = pool.length;
const randomWord = () => {
  if (used === pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  return pool[used++]!;
};

/** Fisher–Yates with WebCrypto: a member cannot predict the order another gets. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomWord() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
