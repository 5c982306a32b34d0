import type { MailMessage } from "../platform/ports.js";
import type { DigestItem } from "./plan.js";

export interface Recipient {
  id: string;
  email: string;
  name: string;
  locale: string | null;
}

export interface Digest {
  recipient: Recipient;
  items: DigestItem[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const words = {
  "zh-CN": {
    subject: (due: number, overdue: number, summary: number) =>
      [due || overdue ? `今日待办 ${due} 项，逾期 ${overdue} 项` : "", summary ? `本周下属逾期 ${summary} 项` : ""].filter(Boolean).join("；"),
    greeting: (name: string, tenant: string) => `${name}，您好：以下是「${tenant}」清单系统为您整理的提醒。`,
    heading: { due: "即将到期", shortfall: "次数不足", overdue: "已逾期", review: "待审核", escalation: "督办升级", summary: "本周下属逾期汇总" } as Record<DigestItem["kind"], string>,
    when: (item: DigestItem) =>
      item.daysLeft === undefined ? "" : item.daysLeft < 0 ? `逾期 ${-item.daysLeft} 天` : item.daysLeft === 0 ? "今天到期" : `${item.daysLeft} 天后到期`,
    due: "截止",
    progress: "完成",
    clock: { ack: "待签收", resolve: "待办结" },
    footer: "不想再收到提醒邮件？退订：",
    prefs: "也可在个人设置（/v1/me/notifications）中按类别开关。",
  },
  en: {
    subject: (due: number, overdue: number, summary: number) =>
      [due || overdue ? `To do: ${due} due, ${overdue} overdue` : "", summary ? `Weekly: ${summary} overdue in your branches` : ""].filter(Boolean).join("; "),
    greeting: (name: string, tenant: string) => `Hello ${name}, here are your reminders from ${tenant}.`,
    heading: { due: "Due soon", shortfall: "Below the minimum count", overdue: "Overdue", review: "Awaiting review", escalation: "Escalated", summary: "Overdue in your branches this week" } as Record<DigestItem["kind"], string>,
    when: (item: DigestItem) =>
      item.daysLeft === undefined ? "" : item.daysLeft < 0 ? `${-item.daysLeft} days overdue` : item.daysLeft === 0 ? "due today" : `due in ${item.daysLeft} days`,
    due: "due",
    progress: "done",
    clock: { ack: "to acknowledge", resolve: "to resolve" },
    footer: "Unsubscribe from reminder emails:",
    prefs: "Or choose categories in your settings (/v1/me/notifications).",
  },
};

const order: DigestItem["kind"][] = ["overdue", "escalation", "due", "shortfall", "review", "summary"];

export const linkFor = (publicUrl: string, ref: DigestItem["ref"]) => `${publicUrl}/v1/${ref.type === "task" ? "tasks" : ref.type === "issue" ? "issues" : "pledges"}/${ref.id}`;

/** One email per recipient per day: plain text and HTML, a subject that says the counts, one-click unsubscribe. */
export function composeDigest(digest: Digest, tenantName: string, publicUrl: string, unsubscribeUrl: string): MailMessage {
  const w = digest.recipient.locale === "en" ? words.en : words["zh-CN"];
  const count = (...kinds: DigestItem["kind"][]) => digest.items.filter((i) => kinds.includes(i.kind)).length;
  const subject = w.subject(count("due", "shortfall", "review"), count("overdue", "escalation"), count("summary"));
  const groups = order.map((kind) => ({ kind, items: digest.items.filter((i) => i.kind === kind) })).filter((g) => g.items.length);
  const line = (i: DigestItem) =>
    [
      i.title,
      i.context ? `（${i.context}）` : "",
      i.dueDate ? ` ${w.due} ${i.dueDate}` : "",
      i.daysLeft !== undefined ? `，${w.when(i)}` : "",
      i.progress ? `，${w.progress} ${i.progress}` : "",
      i.clock ? `，${w.clock[i.clock]}` : "",
      i.who ? `，${i.who}` : "",
    ].join("");
  const text = [
    w.greeting(digest.recipient.name, tenantName),
    "",
    ...groups.flatMap((g) => [`【${w.heading[g.kind]}】`, ...g.items.map((i) => `- ${line(i)}\n  ${linkFor(publicUrl, i.ref)}`), ""]),
    `${w.footer} ${unsubscribeUrl}`,
    w.prefs,
  ].join("\n");
  const html = [
    `<!doctype html><html lang="${digest.recipient.locale === "en" ? "en" : "zh-CN"}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.6">`,
    `<p>${escapeHtml(w.greeting(digest.recipient.name, tenantName))}</p>`,
    ...groups.map((g) => `<h3 style="margin-bottom:4px">${escapeHtml(w.heading[g.kind])}</h3><ul>${g.items.map((i) => `<li><a href="${escapeHtml(linkFor(publicUrl, i.ref))}">${escapeHtml(line(i))}</a></li>`).join("")}</ul>`),
    `<p style="color:#888;font-size:12px">${escapeHtml(w.footer)} <a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(unsubscribeUrl)}</a><br>${escapeHtml(w.prefs)}</p>`,
    "</body></html>",
  ].join("");
  return {
    to: digest.recipient.email,
    subject,
    text,
    html,
    headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
