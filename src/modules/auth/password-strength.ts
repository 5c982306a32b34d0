import { COMMON_PASSWORDS } from "./common-passwords.js";

/**
 * How many guesses a password costs an attacker, in bits, in the manner of zxcvbn but small enough for
 * the Worker (zxcvbn's dictionaries are ~150 KiB gzipped; docs/adr: password strength). The password
 * is cut into the cheapest sequence of pieces an attacker would try: common passwords and words
 * (leet and case undone), runs like `abcd`/`4321`/`qwer`, repeated characters, and a repeat of an
 * earlier piece; anything else costs its character class per character.
 */
export const MIN_PASSWORD_BITS = 36;

const RANK = new Map(COMMON_PASSWORDS.split(" ").map((w, i) => [w, i + 1]));
const MAX_WORD = 20;
const LEET: Record<string, string> = { "@": "a", "4": "a", "8": "b", "(": "c", "3": "e", "6": "g", "1": "i", "!": "i", "|": "l", "0": "o", "$": "s", "5": "s", "7": "t", "+": "t", "2": "z" };
const ROWS = ["`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p"];

const classBits = (ch: string) => (/[0-9]/.test(ch) ? Math.log2(10) : /[a-z]/.test(ch) ? Math.log2(26) : /[A-Z]/.test(ch) ? Math.log2(26) + 1 : /[\x20-\x7e]/.test(ch) ? Math.log2(33) : Math.log2(3000));

/** Adjacent in the alphabet, the digits or a keyboard row (either direction). */
function stepOf(a: string, b: string): number | null {
  const d = b.charCodeAt(0) - a.charCodeAt(0);
  if ((d === 1 || d === -1) && /[a-z0-9]/.test(a) && /[a-z0-9]/.test(b)) return d;
  for (const row of ROWS) {
    const i = row.indexOf(a);
    if (i >= 0 && row[i + 1] === b) return 2;
    if (i > 0 && row[i - 1] === b) return -2;
  }
  return null;
}

export function passwordBits(password: string): number {
  const chars = [...password];
  const lower = chars.map((c) => c.toLowerCase());
  const plain = lower.map((c) => LEET[c] ?? c);
  const n = chars.length;
  const best = new Array<number>(n + 1).fill(Infinity);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    if (best[i] === Infinity) continue;
    const at = best[i]!;
    const relax = (j: number, bits: number) => {
      if (at + bits < best[j]!) best[j] = at + bits;
    };
    relax(i + 1, classBits(chars[i]!));
    // Common words and passwords, as typed or with leet and capitals undone (a bit for the variation).
    for (let j = i + 4; j <= Math.min(n, i + MAX_WORD); j++) {
      const asTyped = RANK.get(lower.slice(i, j).join(""));
      const undone = RANK.get(plain.slice(i, j).join(""));
      const rank = asTyped ?? undone;
      if (rank !== undefined) relax(j, Math.log2(rank) + 1 + (asTyped === undefined || chars.slice(i, j).join("") !== lower.slice(i, j).join("") ? 1 : 0));
    }
    // A year (1900–2039): people put their birth year or this year in; about 140 candidates.
    const year = password.slice(i, i + 4);
    if (/^(19\d\d|20[0-3]\d)$/.test(year) && chars.slice(i, i + 4).join("") === year) relax(i + 4, Math.log2(140));
    // Runs: abcd, 9876, qwer, 1qaz — one step kept all along.
    const step = i + 1 < n ? stepOf(lower[i]!, lower[i + 1]!) : null;
    if (step !== null) {
      let j = i + 2;
      while (j < n && stepOf(lower[j - 1]!, lower[j]!) === step) j++;
      for (let k = i + 3; k <= j; k++) relax(k, Math.log2(36) + Math.log2(k - i) + 1);
    }
    // The same character again and again.
    let r = i + 1;
    while (r < n && chars[r] === chars[i]) r++;
    for (let k = i + 3; k <= r; k++) relax(k, classBits(chars[i]!) + Math.log2(k - i));
    // A piece that already appeared earlier (abcabc, Pass2026Pass2026).
    for (let len = 3; i + len <= n && len <= i; len++) {
      const piece = chars.slice(i, i + len).join("");
      if (password.slice(0, i).includes(piece)) relax(i + len, Math.log2(i) + Math.log2(len));
    }
  }
  return best[n]!;
}

export const strongEnough = (password: string) => passwordBits(password) >= MIN_PASSWORD_BITS;
