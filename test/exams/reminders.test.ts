import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { type ExamBureau, examBureau, publishedPaper } from "./fixture.js";

const api = apiForSuite();
let b: ExamBureau;
beforeAll(async () => {
  b = await examBureau(api);
  // 第一支部's paper closes on Friday 2026-06-19 at 17:00 in Shanghai.
  await publishedPaper(api, b, { title: "第一支部党章测试", branchId: b.branch.id, opensAt: "2026-06-01T00:00:00Z", closesAt: "2026-06-19T09:00:00Z" });
});

const preview = async (date: string) => (await api.get(`/v1/reminders/preview?date=${date}`, b.admin)).body.emails as { memberId: string; subject: string; text: string; html: string }[];

describe("exam reminders in the morning digest", () => {
  it("「考试将于…截止」 on the lead days, to each member who takes the paper, linking the exam page", async () => {
    const eve = (await preview("2026-06-18")).filter((e) => e.text.includes("第一支部党章测试"));
    expect(eve.map((e) => e.memberId).sort()).toEqual([b.secretary.id, b.member.id, b.peer.id].sort());
    expect(eve[0]!.text).toContain("考试将于 2026-06-19 17:00 截止");
    expect(eve[0]!.text).toMatch(/\/exams\/ppr_/);
    // Two days before is not a lead day (7, 3, 1, 0); after it closes, nothing.
    expect((await preview("2026-06-17")).filter((e) => e.text.includes("第一支部党章测试"))).toEqual([]);
    expect((await preview("2026-06-22")).filter((e) => e.text.includes("第一支部党章测试"))).toEqual([]);
  });
});
