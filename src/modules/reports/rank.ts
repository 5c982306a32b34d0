/**
 * Competition ranking (1, 2, 2, 4): `sorted` is best first; rows with the same tie key share a rank
 * and the next distinct row takes its position. The one home of "ties share a rank" (ledgers, exams).
 */
export function competitionRank<T>(sorted: T[], tieKey: (row: T) => string | number): (T & { rank: number })[] {
  let previous: string | number | undefined;
  let position = 0;
  return sorted.map((row, i) => {
    const key = tieKey(row);
    if (i === 0 || key !== previous) position = i + 1;
    previous = key;
    return { rank: position, ...row };
  });
}
