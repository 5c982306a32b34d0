import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, fromBase64Url, hashPassword, PBKDF2_ITERATIONS, toBase64Url, verifyPassword } from "../../src/platform/crypto.js";
import { newId } from "../../src/db/ids.js";
import { Lru } from "../../src/platform/lru.js";
import { pickLang } from "../../src/http/i18n.js";

describe("base64url", () => {
  it("writes what Node's base64url writes, unpadded, for every length, and reads it back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });
});

describe("password hashing", () => {
  it("is PBKDF2-SHA256 at no more than the Workers cap of 100,000 iterations, salted", async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    const a = await hashPassword("Qingdan-2026-secure");
    const b = await hashPassword("Qingdan-2026-secure");
    expect(a).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("Qingdan-2026-secure", a)).toBe(true);
    expect(await verifyPassword("Qingdan-2026-secur3", a)).toBe(false);
  });

  it("refuses stored hashes above the cap or of another scheme instead of trying them", async () => {
    const ok = await hashPassword("Qingdan-2026-secure");
    expect(await verifyPassword("Qingdan-2026-secure", ok.replace("$100000$", "$200000$"))).toBe(false);
    expect(await verifyPassword("Qingdan-2026-secure", ok.replace("pbkdf2_sha256", "md5"))).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });

  it("compares in constant time: every byte is looked at, whatever differs first", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (a, b) => {
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        expect(constantTimeEqual(a, b)).toBe(same);
      }),
    );
    // Instrument the reads: a match and a first-byte mismatch read the same number of bytes.
    const reads = (x: Uint8Array, y: Uint8Array) => {
      let n = 0;
      const spy = new Proxy(y, { get: (t, k) => (typeof k === "string" && /^\d+$/.test(k) ? (n++, t[Number(k)]) : Reflect.get(t, k, t)) });
      constantTimeEqual(x, spy as Uint8Array);
      return n;
    };
    const a = new Uint8Array(32).fill(7);
    const early = new Uint8Array(32).fill(7);
    early[0] = 8;
    expect(reads(a, early)).toBe(reads(a, a.slice()));
    expect(reads(a, a.slice())).toBe(32);
  });
});

describe("ids", () => {
  it("carry a type prefix and sort by creation time", () => {
    const ids = [newId("mem", 1_700_000_000_000), newId("mem", 1_700_000_000_001), newId("mem", 1_800_000_000_000)];
    expect(ids.every((id) => /^mem_[0-9A-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("LRU", () => {
  it("evicts the least recently used and tells whom", () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>(2, (_v, k) => evicted.push(k));
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    expect(evicted).toEqual(["b"]);
    expect(lru.get("a")).toBe(1);
    expect(lru.size).toBe(2);
  });
});

describe("language", () => {
  it("defaults to zh-CN and follows Accept-Language weights", () => {
    expect(pickLang(undefined)).toBe("zh-CN");
    expect(pickLang("en")).toBe("en");
    expect(pickLang("zh-TW,en;q=0.5")).toBe("zh-CN");
    expect(pickLang("fr, en;q=0.8, zh;q=0.9")).toBe("zh-CN");
    expect(pickLang("fr, en;q=0.9, zh;q=0.8")).toBe("en");
  });
});
