import { describe, expect, it } from "vitest";
import { composeDigest } from "../../src/jobs/compose.js";
import { deferredLetter, type Letter, renderLetter } from "../../src/mail/letter.js";

const letter: Letter = {
  lang: "zh-CN",
  to: "zhang.wei@bureau.example.cn",
  subject: `今日待办 1 项，逾期 0 项 <"&'>`,
  greeting: "张伟，您好：",
  paragraphs: ["「A&B 局」清单工作台今天为您整理了提醒：1 项即将到期。", "点击下面的按钮即可办理。"],
  sections: [{ heading: "即将到期", tone: "yellow", items: [{ text: "提交<思想>汇报 & 'x'", url: "https://q.example.cn/tasks/tsk_1?a=1&b=2" }] }],
  button: { label: "办理这项任务", url: "https://q.example.cn/tasks/tsk_1" },
  signature: "「A&B 局」清单工作台",
  footer: ["这是每天早上发给您的提醒。"],
  footerLinks: [{ label: "退订提醒邮件", url: "https://q.example.cn/unsubscribe#token=x" }],
  headers: { "List-Unsubscribe": "<https://q.example.cn/v1/unsubscribe?token=x>" },
};

describe("a letter written when read", () => {
  it("reads as the letter rendered at once: same fields, same order, same bytes, each time", () => {
    const now = renderLetter(letter);
    const later = deferredLetter({ to: letter.to, subject: letter.subject, headers: letter.headers! }, () => letter);
    expect(Object.keys(later)).toEqual(Object.keys(now));
    expect(JSON.stringify(later)).toBe(JSON.stringify(now));
    expect({ ...later }).toEqual(now);
    expect(later.text).toBe(now.text);
    expect(later.html).toBe(now.html);
    expect(later.html).toContain("提交&#60;思想&#62;汇报 &#38; &#39;x&#39;");
  });

  it("two messages read in turns each read their own letter", () => {
    const other: Letter = { ...letter, greeting: "李娜，您好：", subject: "另一封" };
    const a = deferredLetter({ to: letter.to, subject: letter.subject }, () => letter);
    const b = deferredLetter({ to: other.to, subject: other.subject }, () => other);
    const [aText, bText, aHtml, bHtml] = [a.text, b.text, a.html, b.html];
    expect([aText, aHtml]).toEqual([renderLetter(letter).text, renderLetter(letter).html]);
    expect([bText, bHtml]).toEqual([renderLetter(other).text, renderLetter(other).html]);
    expect(bHtml).toContain("李娜，您好：");
  });

  it("has no headers field when the letter has none, as renderLetter", () => {
    const { headers: _, ...bare } = letter;
    expect(Object.keys(deferredLetter({ to: bare.to, subject: bare.subject }, () => bare))).toEqual(Object.keys(renderLetter(bare)));
    expect("headers" in deferredLetter({ to: bare.to, subject: bare.subject }, () => bare)).toBe(false);
  });

  it("a digest's parts copied by a spread (as deliverAll sends them) are plain strings with every link", () => {
    const token = "qdu.bu_01ARZ3NDEKTSV4RRFFQ69G5FAV.mem_01ARZ3NDEKTSV4RRFFQ69G5FAV.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.t5abc.0";
    const message = composeDigest(
      { recipient: { id: "mem_1", email: "li.na@bureau.example.cn", name: "李娜", locale: "en" }, items: [{ category: "tasks", kind: "overdue", ref: { type: "task", id: "tsk_9" }, title: "Write up the study notes", dueDate: "2026-12-15", daysLeft: -9 }] },
      { tenant: { name: "Bureau & Co" }, publicUrl: "https://q.example.cn/", unsubscribeToken: token },
    );
    const headers: Record<string, string> = { ...message.headers, "Message-ID": "<m@q>" };
    const sent = { ...message, headers };
    expect(Object.getOwnPropertyDescriptor(sent, "text")?.value).toBe(message.text);
    expect(sent.subject).toBe("To do: 0 due, 1 overdue");
    expect(sent.text).toContain("https://q.example.cn/tasks/tsk_9");
    expect(sent.text).toContain(`https://q.example.cn/unsubscribe#token=${token}`);
    expect(sent.html).toContain("Bureau &#38; Co · Qingdan workspace");
    expect(sent.headers["List-Unsubscribe"]).toBe(`<https://q.example.cn/v1/unsubscribe?token=${token}>`);
  });
});
