/** The fields of a listed paper that say whether it waits for me (GET /v1/exams/papers). */
interface PaperForMe {
  status: string;
  opensAt: string;
  closesAt: string;
  attemptsAllowed: number;
  myAttempts: { status: string; passed: boolean | null }[];
}

/**
 * A paper waits for me while its window is open, I have not passed it, and I have an attempt in
 * progress or one left. The server enforces all of it on start; this only decides what to show.
 */
export const waitsForMe = (p: PaperForMe, now = Date.now()) =>
  p.status === "published" &&
  Date.parse(p.opensAt) <= now &&
  now < Date.parse(p.closesAt) &&
  !p.myAttempts.some((a) => a.passed) &&
  (p.myAttempts.some((a) => a.status === "in_progress") || p.myAttempts.length < p.attemptsAllowed);
