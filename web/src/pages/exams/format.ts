/** "12-05 17:00" in the phone's zone: a window or a deadline at a glance. */
export const dateTime = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** 59:07 from milliseconds. */
export const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};

/** An answer as a person reads it: the chosen options' words (letters move when options are shuffled), 正确/错误, or the blanks joined. */
export const answerText = (item: { type: string; options: { key: string; text: string }[] }, answer: string[] | null | undefined, judge: { T: string; F: string }, none: string) =>
  !answer || answer.length === 0
    ? none
    : item.type === "judge"
      ? (judge[answer[0] as "T" | "F"] ?? answer[0]!)
      : item.type === "fill"
        ? answer.join("；")
        : answer.map((key) => item.options.find((o) => o.key === key)?.text ?? key).join("；");
