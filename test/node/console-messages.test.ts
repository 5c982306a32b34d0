import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * An area's messages load with its first page (web/src/i18n: loadMessages), so a page that shows
 * another area's words must name that area in `uses`, or it shows raw keys. This reads the source:
 * every file an area's pages reach (through pages/ and components/) may use only the shell's keys,
 * keys loaded with the shell, its own key and those it uses. And the tab bar, drawn before any
 * page of an area opens, finds a lazy area's tab label among its `shell` words.
 */
const WEB = new URL("../../web/src/", import.meta.url).pathname;
const SHELL_KEYS = ["app", "tabs", "offline", "common"];

interface AreaSource {
  folder: string;
  key: string;
  lazy: boolean;
  uses: string[];
  index: string;
}

function readAreas(): AreaSource[] {
  return readdirSync(join(WEB, "pages"))
    .filter((folder) => existsSync(join(WEB, "pages", folder, "index.ts")))
    .flatMap((folder) => {
      const index = readFileSync(join(WEB, "pages", folder, "index.ts"), "utf8");
      // One line per area: `messages: { key: "x", load: () => import("./messages"), shell: {…}, uses: [...] }`.
      const messages = /messages:\s*\{(.*)\}/.exec(index)?.[1];
      const key = messages && /key:\s*"([a-zA-Z]+)"/.exec(messages)?.[1];
      if (!messages || !key) return [];
      const uses = [...(/uses:\s*\[([^\]]*)\]/.exec(messages)?.[1]?.matchAll(/"([a-zA-Z]+)"/g) ?? [])].map((m) => m[1]!);
      return [{ folder, key, lazy: /\bload:/.test(messages), uses, index }];
    });
}

/** The files an area's pages reach: its folder, and what they import from pages/ and components/. */
function reachedFiles(folder: string): Set<string> {
  const seen = new Set<string>();
  const queue = readdirSync(join(WEB, "pages", folder))
    .filter((name) => /\.(vue|ts)$/.test(name) && name !== "messages.ts")
    .map((name) => join(WEB, "pages", folder, name));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
      const target = [resolve(dirname(file), spec!), `${resolve(dirname(file), spec!)}.ts`].find((path) => existsSync(path) && /\.(vue|ts)$/.test(path));
      if (!target || target.endsWith("messages.ts")) continue;
      if (target.startsWith(join(WEB, "pages")) || target.startsWith(join(WEB, "components"))) queue.push(target);
    }
  }
  return seen;
}

describe("console messages loaded per area", () => {
  const areas = readAreas();
  const keys = [...SHELL_KEYS, ...areas.map((a) => a.key)];
  const eager = new Set([...SHELL_KEYS, ...areas.filter((a) => !a.lazy).map((a) => a.key)]);
  const used = (file: string) => new Set([...readFileSync(file, "utf8").matchAll(new RegExp(`["'\`](${keys.join("|")})\\.[a-zA-Z]`, "g"))].map((m) => m[1]!));

  it("finds the areas and most of them lazy (the shell's first load carries the task list's words only)", () => {
    expect(areas.length).toBeGreaterThan(10);
    expect(areas.filter((a) => a.lazy).length).toBeGreaterThan(areas.length / 2);
    expect(areas.find((a) => a.key === "tasks")?.lazy).toBe(false);
  });

  it("lets every page show only words that are loaded with it", () => {
    const missing: string[] = [];
    for (const area of areas) {
      const allowed = new Set([...eager, area.key, ...area.uses]);
      for (const file of reachedFiles(area.folder)) for (const key of used(file)) if (!allowed.has(key)) missing.push(`${area.folder} (${file.slice(WEB.length)}) uses "${key}" without uses: ["${key}"]`);
    }
    expect(missing).toEqual([]);
  });

  it("names only areas that exist in `uses`", () => {
    for (const area of areas) for (const key of area.uses) expect(keys, `${area.folder} uses ${key}`).toContain(key);
  });

  it("gives the tab bar a lazy area's tab label before its messages load", () => {
    for (const area of areas.filter((a) => a.lazy)) {
      for (const [, label] of area.index.matchAll(/label:\s*"([a-zA-Z]+\.[a-zA-Z.]+)"/g)) {
        const [key, leaf] = label!.split(".") as [string, string];
        if (key !== area.key) continue;
        expect(area.index, `${area.folder}: ${label} among its shell words`).toMatch(new RegExp(`shell:\\s*\\{[^]*"zh-CN":\\s*\\{[^}]*\\b${leaf}:[^]*en:\\s*\\{[^}]*\\b${leaf}:`));
      }
    }
  });
});
