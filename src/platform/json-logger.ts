import type { Logger } from "./ports.js";

/** One JSON object per line: what log collectors on both runtimes ingest without parsing rules. */
export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  const emit = (level: string, fields: Record<string, unknown>) => write(JSON.stringify({ level, time: new Date().toISOString(), ...fields }));
  return { info: (f) => emit("info", f), error: (f) => emit("error", f) };
}

export const silentLogger: Logger = { info: () => {}, error: () => {} };
