import { describe, expect, it } from "vitest";
import { consoleLinks, uriComponent } from "../../src/http/console-links.js";

// Emails link console pages by id, date and token; a value that needs encoding must still be encoded
// now that values which need none skip encodeURIComponent (issue 19).
describe("console links encode what a path or fragment needs", () => {
  const values = ["tsk_01KE5TP1M007B979K87Q7AGDS8", "2026-12", "qdu.ten_01ABC.mem_01DEF.sig-_x.tq1x2s.0", "", "a b", "a/b", "a?b#c&d=e", "it's", "(x)!*", "中文 · 局", "%41", "🔔"];

  it("uriComponent gives encodeURIComponent's answer for every value", () => {
    for (const v of values) expect(uriComponent(v)).toBe(encodeURIComponent(v));
  });

  it("paths and token links carry the encoded values", () => {
    expect(consoleLinks.task("a/b?c")).toBe("/tasks/a%2Fb%3Fc");
    expect(consoleLinks.boardPledge("城 建", "pl_01")).toBe(`/board/${encodeURIComponent("城 建")}/pl_01`);
    expect(consoleLinks.unsubscribe("qdu.x#y")).toBe("/unsubscribe#token=qdu.x%23y");
    expect(consoleLinks.task("tsk_01KE5TP1M007B979K87Q7AGDS8")).toBe("/tasks/tsk_01KE5TP1M007B979K87Q7AGDS8");
  });
});
