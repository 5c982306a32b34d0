import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { passwordField } from "../../src/http/fields.js";
import { passwordBits } from "../../src/modules/auth/password-strength.js";

/** The small estimator the Worker carries, checked against zxcvbn-ts with its full dictionary (docs/adr: password strength). */
const zxcvbn = new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
const passes = (p: string) => v.safeParse(passwordField, p).success;
const list = common.dictionary["passwords-common"] as string[];

describe("password strength estimate", () => {
  it("refuses every password in zxcvbn's common list that the length and class rules alone would let through", () => {
    const long = list.filter((p) => p.length >= 10 && p.length <= 128 && [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length >= 2 && new Set(p).size >= 4);
    expect(long.length).toBeGreaterThan(300);
    expect(long.filter(passes)).toEqual([]);
  });

  it("refuses the top 1,000 common passwords with the usual year, digit and symbol suffixes", () => {
    const variants = list.slice(0, 1000).flatMap((w) => [`${w}2026`, `${w}123!`, `${w[0]!.toUpperCase()}${w.slice(1)}@1985`, `${w}${w}`]);
    expect(variants.filter(passes).filter((p) => zxcvbn.check(p).score < 3)).toEqual([]);
  });

  it("accepts what zxcvbn rates strong: random strings and unusual phrases", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const abc = "abcdefghijkmnpqrstuvwxyz23456789";
    const random = Array.from({ length: 300 }, () => Array.from({ length: 12 }, () => abc[Math.floor(next() * abc.length)]).join("") + "7");
    const accepted = random.filter(passes).length;
    expect(accepted / random.length).toBeGreaterThan(0.97);
    for (const p of ["Qingdan-2026-secure", "Lantern-river-4417", "correct horse battery staple", "x7Kq9mLp2w", "长江大桥-1957-武汉"]) expect(passes(p), p).toBe(true);
  });

  it("counts runs, repeats, keyboard walks and years as cheap", () => {
    expect(passwordBits("abcdefghij")).toBeLessThan(12);
    expect(passwordBits("1qaz2wsx3edc")).toBeLessThan(20);
    expect(passwordBits("aaaaaaaaaaaa")).toBeLessThan(12);
    expect(passwordBits("Tr0ub4dor&3" + "Tr0ub4dor&3")).toBeLessThan(passwordBits("Tr0ub4dor&3") + 10);
    expect(passwordBits("k9x2q7m4w8")).toBeGreaterThan(36);
  });
});
