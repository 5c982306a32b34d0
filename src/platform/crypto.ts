// WebCrypto only: the same code hashes on Node and in workerd.

const encoder = new TextEncoder();

/** The Workers runtime refuses PBKDF2 above 100,000 iterations; `wrangler dev` does not, so the cap is ours to keep. */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/**
 * Base64url without padding, three bytes at a time from a table: a morning signs a link per digest,
 * and btoa over a spread of the bytes with three replaces cost ~1.9 µs a signature against ~0.4.
 */
export const toBase64Url = (bytes: Uint8Array) => {
  let out = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]! + B64URL[(v >> 6) & 63]! + B64URL[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | (i + 1 < n ? bytes[i + 1]! << 8 : 0);
    out += B64URL[v >> 18]! + B64URL[(v >> 12) & 63]!;
    if (i + 1 < n) out += B64URL[(v >> 6) & 63]!;
  }
  return out;
};

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/**
 * Whether a signature as presented in a link is exactly the canonical base64url of the expected MAC.
 * Decoding the presented text instead would accept other spellings of the same bytes: the 43rd
 * character of 32 bytes carries 2 unused bits, so four characters there decode alike.
 */
export const signatureMatches = (expected: Uint8Array, presented: string) => {
  const encoder = new TextEncoder();
  return constantTimeEqual(encoder.encode(toBase64Url(expected)), encoder.encode(presented));
};

/** Compares in time that depends only on the length, so a guess learns nothing from how long a check took. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  // The cast: DOM typings (the console type-checks this file through hc<AppType>) want an ArrayBuffer-backed view.
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

/** `pbkdf2_sha256$<iterations>$<salt>$<hash>`: the iteration count travels with the hash so it can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2_sha256" || !salt || !hash || !Number.isInteger(iterations) || iterations > PBKDF2_ITERATIONS) return false;
  return constantTimeEqual(await pbkdf2(password, fromBase64Url(salt), iterations), fromBase64Url(hash));
}

/** A hash computed for unknown emails too, so a login's timing does not tell which emails are members. */
export const DUMMY_PASSWORD_HASH = "pbkdf2_sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Secrets with 256 random bits need no slow hash: SHA-256 is enough and keeps the hot path fast. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const randomSecret = (bytes = 32) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
