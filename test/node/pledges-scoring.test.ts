import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PledgeTarget } from "../../src/db/tenant/schema.js";
import { normaliseTargets } from "../../src/modules/pledges/rules.js";
import { progressOf, trendOf, weightedScore } from "../../src/modules/pledges/scoring.js";
import { publicName } from "../../src/modules/public/names.js";
import { normaliseAddress } from "../../src/modules/public/rate-limit.js";

const score = fc.option(fc.integer({ min: 0, max: 100 }), { nil: null });
const weights = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
  .filter(([a, b, c]) => a + b + c <= 100)
  .map(([a, b, c]) => ({ self: a, leader: b, peer: c, public: 100 - a - b - c }));

describe("the weighted score", () => {
  it("lies between the lowest and the highest score weighed, and is null when nothing weighed was given", () => {
    fc.assert(
      fc.property(weights, score, score, score, score, (w, self, leader, peer, pub) => {
        const parts = { self, leader, peer: { count: peer === null ? 0 : 1, average: peer }, public: { count: pub === null ? 0 : 1, average: pub } };
        const result = weightedScore(w, parts);
        const weighed = ([[w.self, self], [w.leader, leader], [w.peer, peer], [w.public, pub]] as const).filter(([wt, s]) => wt > 0 && s !== null).map(([, s]) => s as number);
        if (weighed.length === 0) return result === null;
        return result !== null && result >= Math.min(...weighed) - 0.05 && result <= Math.max(...weighed) + 0.05;
      }),
    );
  });

  it("equals the plain weighted mean when every kind is given", () => {
    expect(weightedScore({ self: 20, leader: 40, peer: 30, public: 10 }, { self: 90, leader: 80, peer: { count: 2, average: 70 }, public: { count: 1, average: 80 } })).toBe(79);
  });
});

describe("progress", () => {
  const targets: PledgeTarget[] = [
    { id: "t1", title: "现场问题", type: "quantity", amount: 10, unit: "个" },
    { id: "t2", title: "党课", type: "done", amount: null, unit: null },
  ];

  it("never leaves 0–100 and never falls while amounts only add", () => {
    const update = fc.record({ progress: fc.array(fc.oneof(fc.record({ targetId: fc.constant("t1"), amount: fc.integer({ min: 0, max: 20 }) }), fc.record({ targetId: fc.constant("t2"), done: fc.constant(true) })), { maxLength: 3 }), createdAt: fc.constant("2026-01-01T00:00:00.000Z") });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 10 }), (updates) => {
        const trend = trendOf(targets, updates).map((p) => p.percent);
        return trend.every((p, i) => p >= 0 && p <= 100 && (i === 0 || p >= trend[i - 1]!));
      }),
    );
  });

  it("caps a target at 100% and takes the latest done mark", () => {
    const p = progressOf(targets, [{ progress: [{ targetId: "t1", amount: 25 }, { targetId: "t2", done: true }] }, { progress: [{ targetId: "t2", done: false }] }]);
    expect(p).toEqual({ percent: 50, targets: [{ id: "t1", achieved: 25, done: true, percent: 100 }, { id: "t2", achieved: 0, done: false, percent: 0 }] });
  });

  it("numbers targets without ids by position, around the ids given", () => {
    const ids = normaliseTargets([{ title: "a", type: "done" }, { id: "t1", title: "b", type: "done" }, { title: "c", type: "quantity", amount: 1, unit: "次" }]).map((t) => t.id);
    expect(ids).toEqual(["t2", "t1", "t3"]);
  });
});

describe("public names", () => {
  it("shows the surname and masks the rest, compound surnames included", () => {
    expect(publicName("王小明", "surname")).toBe("王**");
    expect(publicName("李娜", "surname")).toBe("李*");
    expect(publicName("欧阳晓峰", "surname")).toBe("欧阳**");
    expect(publicName("欧阳", "surname")).toBe("欧*");
    expect(publicName("John Smith", "surname")).toBe("Smith");
    expect(publicName("王小明", "full")).toBe("王小明");
    expect(publicName("王小明", "hidden")).toBeNull();
  });
});

describe("client addresses", () => {
  it("keeps IPv4, maps IPv4-in-IPv6 back, and reduces IPv6 to its /64", () => {
    expect(normaliseAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(normaliseAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normaliseAddress("2001:db8:1:2::10")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("[2001:0DB8:0001:0002:ffff:0:0:1]")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(normaliseAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});
