import { consoleLinks, consoleOrigin, uriComponent } from "../http/console-links.js";
import { deferredLetter, type Letter, type LetterItem, type LetterLang, letterLang } from "../mail/letter.js";
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

export interface DigestContext {
  tenant: { name: string; locale?: string | null };
  publicUrl: string;
  /** The member's unsubscribe token: the body links the console's page, the header the API's one-click POST. */
  unsubscribeToken: string;
}

type Kind = DigestItem["kind"];

const words = {
  "zh-CN": {
    subject: (due: number, overdue: number, summary: number, moved = 0, log = 0) =>
      [due || overdue ? `今日待办 ${due} 项，逾期 ${overdue} 项` : "", summary ? `本周下属逾期 ${summary} 项` : "", moved ? `截止日期调整 ${moved} 项` : "", log ? `工作日志 ${log} 项` : ""].filter(Boolean).join("；"),
    greeting: (name: string) => `${name}，您好：`,
    heading: { overdue: "已经逾期，请尽快办理", escalation: "超期未办结，需要您督办", due: "即将到期", shortfall: "完成次数还不够", review: "等您审核", summary: "本周汇总：您所辖支部的逾期事项", rescheduled: "截止日期调整（国家法定节假日安排公布后重新计算）", log_missing: "昨日日志未填写", log_review: "待点评", log_score: "待打分" } satisfies Record<Kind, string>,
    count: { overdue: (n: number) => `${n} 项已逾期`, escalation: (n: number) => `${n} 个问题超期需要您督办`, due: (n: number) => `${n} 项即将到期`, shortfall: (n: number) => `${n} 项完成次数不足`, review: (n: number) => `${n} 项等您审核`, summary: (n: number) => `所辖支部逾期 ${n} 项`, rescheduled: (n: number) => `${n} 项截止日期已调整`, log_missing: () => "昨日日志未填写", log_review: () => "团队日志待点评", log_score: (n: number) => `${n} 人的月度小结待打分` } satisfies Record<Kind, (n: number) => string>,
    happened: (tenant: string, parts: string[]) => `「${tenant}」清单工作台今天为您整理了提醒：${parts.join("，")}。`,
    todo: { one: "点击下面的按钮即可办理。", many: "点开每一项即可办理，也可以点击下面的按钮打开工作台逐项处理。" },
    when: (item: DigestItem) =>
      item.daysLeft === undefined ? "" : item.daysLeft < 0 ? `逾期 ${-item.daysLeft} 天` : item.daysLeft === 0 ? "今天到期" : `${item.daysLeft} 天后到期`,
    logLine: (i: DigestItem) => (i.kind === "log_missing" ? `${i.title} 的工作日志还没有填写` : i.kind === "log_score" ? `${i.who}：${i.title} 月度小结已提交，待打分` : `本月团队有 ${i.progress} 天的日志还没有点评`),
    due: "截止",
    progress: "完成",
    clock: { ack: "待签收", resolve: "待办结" },
    who: (who: string) => `责任人：${who}`,
    movedFrom: (from: string) => `原定 ${from}`,
    sep: "，",
    context: (c: string) => `（${c}）`,
    examCloses: (at: string) => `考试将于 ${at} 截止`,
    buttons: {
      exam: "去考试",
      task: "办理这项任务",
      reviewOne: "去审核",
      reviews: (n: number) => `去审核（${n} 项）`,
      problem: "处理这个问题",
      escalation: "查看并督办",
      problems: "查看我的问题",
      pledge: "更新承诺进度",
      pledgeReview: "审核这项承诺",
      pledges: "查看我的承诺",
      tasks: "打开我的待办",
      home: "打开清单工作台",
      log: "打开工作日志",
    },
    footer: (tenant: string) => [`这是「${tenant}」清单工作台每天早上发给您的提醒，只在有事需要您处理时才发。`, "不想收某一类提醒，可以在工作台「我的 → 消息提醒」中关闭；不想再收任何提醒邮件，可以退订。"],
    links: { prefs: "消息提醒设置", unsubscribe: "退订提醒邮件" },
    signature: (tenant: string) => `「${tenant}」清单工作台`,
  },
  en: {
    subject: (due: number, overdue: number, summary: number, moved = 0, log = 0) =>
      [due || overdue ? `To do: ${due} due, ${overdue} overdue` : "", summary ? `Weekly: ${summary} overdue in your branches` : "", moved ? `${moved} deadline${moved === 1 ? "" : "s"} moved` : "", log ? `Work log: ${log}` : ""].filter(Boolean).join("; "),
    greeting: (name: string) => `Hello ${name},`,
    heading: { overdue: "Overdue: please act now", escalation: "Past due and unresolved: please follow up", due: "Due soon", shortfall: "Not done often enough yet", review: "Waiting for your review", summary: "This week: overdue in the branches you lead", rescheduled: "Deadlines moved (recomputed under the newly published holiday arrangement)", log_missing: "Yesterday's log is not written", log_review: "Days to comment on", log_score: "Months to score" } satisfies Record<Kind, string>,
    count: { overdue: (n: number) => `${n} overdue`, escalation: (n: number) => `${n} ${n === 1 ? "problem" : "problems"} past due for you to follow up`, due: (n: number) => `${n} due soon`, shortfall: (n: number) => `${n} below the minimum count`, review: (n: number) => `${n} waiting for your review`, summary: (n: number) => `${n} overdue in your branches`, rescheduled: (n: number) => `${n} deadline${n === 1 ? "" : "s"} moved`, log_missing: () => "yesterday's log is not written", log_review: () => "team logs to comment on", log_score: (n: number) => `${n} monthly summar${n === 1 ? "y" : "ies"} to score` } satisfies Record<Kind, (n: number) => string>,
    happened: (tenant: string, parts: string[]) => `Here is what needs you today in the ${tenant} Qingdan workspace: ${parts.join(", ")}.`,
    todo: { one: "Press the button to deal with it.", many: "Open each item to deal with it, or press the button to open the workspace." },
    when: (item: DigestItem) =>
      item.daysLeft === undefined ? "" : item.daysLeft < 0 ? `${-item.daysLeft} days overdue` : item.daysLeft === 0 ? "due today" : `due in ${item.daysLeft} days`,
    logLine: (i: DigestItem) => (i.kind === "log_missing" ? `The work log of ${i.title} is not written yet` : i.kind === "log_score" ? `${i.who}: the summary of ${i.title} waits for your score` : `${i.progress} days of your team's log this month have no comment yet`),
    due: "due",
    progress: "done",
    clock: { ack: "to acknowledge", resolve: "to resolve" },
    who: (who: string) => `assigned to ${who}`,
    movedFrom: (from: string) => `was ${from}`,
    sep: ", ",
    context: (c: string) => ` (${c})`,
    examCloses: (at: string) => `the exam closes at ${at}`,
    buttons: {
      exam: "Take the exam",
      task: "Open the task",
      reviewOne: "Review it",
      reviews: (n: number) => `Review (${n})`,
      problem: "Open the problem",
      escalation: "Follow it up",
      problems: "My problems",
      pledges: "My pledges",
      pledge: "Update the pledge",
      pledgeReview: "Review the pledge",
      tasks: "Open my to-do list",
      home: "Open the workspace",
      log: "Open the work log",
    },
    footer: (tenant: string) => [`The ${tenant} Qingdan workspace sends this reminder in the morning, only when something needs you.`, "Turn off a kind of reminder under Me → Notifications in the workspace, or stop reminder emails altogether."],
    links: { prefs: "Notification settings", unsubscribe: "Unsubscribe from reminders" },
    signature: (tenant: string) => `${tenant} · Qingdan workspace`,
  },
} satisfies Record<LetterLang, unknown>;

const tone: Partial<Record<Kind, "red" | "yellow">> = { overdue: "red", escalation: "red", due: "yellow", shortfall: "yellow" };

const order: Kind[] = ["overdue", "escalation", "due", "shortfall", "review", "log_missing", "log_score", "log_review", "rescheduled", "summary"];
/** Each kind's place in `order` (a digest's items are grouped into these slots in one pass). */
const rank = Object.fromEntries(order.map((kind, i) => [kind, i])) as Record<Kind, number>;
const isLog = (ref: DigestItem["ref"]) => ref.type === "log_day" || ref.type === "log_team" || ref.type === "log_month";

/** The console page of what an item is about. */
export const itemPath = (ref: DigestItem["ref"]) =>
  ref.type === "task" ? consoleLinks.task(ref.id) : ref.type === "exam" ? consoleLinks.exam(ref.id) : ref.type === "issue" ? consoleLinks.problem(ref.id) : ref.type === "log_day" ? consoleLinks.worklogDay(ref.id) : ref.type === "log_team" ? consoleLinks.worklogTeam() : ref.type === "log_month" ? consoleLinks.worklogScoring(ref.id) : consoleLinks.pledge(ref.id);

/**
 * What every digest of a tenant in one language shares: the links' origin, signature, footer and the
 * prefs link, made once. A sweep composes a tenant's 200 digests one after another, so the last kit
 * of each language is kept and nothing else (no cache to bound).
 */
interface Kit {
  name: string;
  publicUrl: string;
  w: (typeof words)[LetterLang];
  origin: string;
  signature: string;
  footer: string[];
  prefs: { label: string; url: string };
}
const kits: Partial<Record<LetterLang, Kit>> = {};
function kitFor(lang: LetterLang, name: string, publicUrl: string): Kit {
  const last = kits[lang];
  if (last && last.name === name && last.publicUrl === publicUrl) return last;
  const w = words[lang];
  const origin = consoleOrigin(publicUrl);
  return (kits[lang] = { name, publicUrl, w, origin, signature: w.signature(name), footer: w.footer(name), prefs: { label: w.links.prefs, url: origin + consoleLinks.notifications() } });
}

/** The one button: the item itself when there is one, else the list that holds them all, else the workspace. */
function primaryAction(items: DigestItem[], w: (typeof words)[LetterLang]) {
  const b = w.buttons;
  if (items.length === 1) {
    const [i] = items as [DigestItem];
    if (i.ref.type === "task") return i.kind === "review" ? { label: b.reviewOne, path: consoleLinks.reviews() } : { label: b.task, path: itemPath(i.ref) };
    if (i.ref.type === "exam") return { label: b.exam, path: itemPath(i.ref) };
    if (i.ref.type === "issue") return { label: i.kind === "escalation" ? b.escalation : b.problem, path: itemPath(i.ref) };
    if (isLog(i.ref)) return { label: b.log, path: itemPath(i.ref) };
    return { label: i.kind === "review" ? b.pledgeReview : b.pledge, path: itemPath(i.ref) };
  }
  // What all items have in common, in one pass (five every() closures a digest before).
  let reviews = true;
  let issues = true;
  let pledges = true;
  let logs = true;
  let tasks = true;
  for (const i of items) {
    const type = i.ref.type;
    const task = type === "task";
    reviews &&= task && i.kind === "review";
    issues &&= type === "issue";
    pledges &&= type === "pledge";
    logs &&= isLog(i.ref);
    tasks &&= task && i.kind !== "review" && i.kind !== "summary";
  }
  if (reviews) return { label: b.reviews(items.length), path: consoleLinks.reviews() };
  if (issues) return { label: b.problems, path: consoleLinks.problems() };
  if (pledges) return { label: b.pledges, path: consoleLinks.pledges() };
  if (logs) return { label: b.log, path: itemPath(items[0]!.ref) };
  if (tasks) return { label: b.tasks, path: consoleLinks.home() };
  return { label: b.home, path: consoleLinks.home() };
}

/**
 * One email per recipient per day: what needs them (counts, then the items, each linked to its console
 * page), one button, and how to turn reminders down. One-click unsubscribe (RFC 8058) in the headers.
 */
// Module-level helpers, not closures inside composeDigest: a morning composes one digest per member.
const line = (i: DigestItem, w: (typeof words)[LetterLang]) =>
  isLog(i.ref)
    ? w.logLine(i)
    : i.title +
      (i.context ? w.context(i.context) : "") +
      (i.dueDate ? ` ${w.due} ${i.dueDate}` : "") +
      (i.daysLeft !== undefined ? `${w.sep}${w.when(i)}` : "") +
      (i.progress ? `${w.sep}${w.progress} ${i.progress}` : "") +
      (i.clock ? `${w.sep}${w.clock[i.clock]}` : "") +
      (i.who ? `${w.sep}${w.who(i.who)}` : "") +
      (i.movedFrom ? `${w.sep}${w.movedFrom(i.movedFrom)}` : "") +
      (i.closesAt ? `${w.sep}${w.examCloses(i.closesAt)}` : "");

const n = (slot: DigestItem[] | undefined) => (slot ? slot.length : 0);

/** The items by kind, in `order`'s slots, in one pass. */
function slotsOf(items: DigestItem[]) {
  const slots: (DigestItem[] | undefined)[] = new Array(order.length);
  for (const i of items) {
    const r = rank[i.kind];
    const slot = slots[r];
    if (slot) slot.push(i);
    else slots[r] = [i];
  }
  return slots;
}

/** The letter of a digest: built when its text or HTML is read (see deferredLetter), from what the digest keeps (its items grouped once, by composeDigest). */
function digestLetter(digest: Digest, slots: (DigestItem[] | undefined)[], kit: Kit, lang: LetterLang, subject: string, token: string): Letter {
  const { w, origin } = kit;
  const counts: string[] = [];
  const sections: NonNullable<Letter["sections"]> = [];
  for (let r = 0; r < order.length; r++) {
    const slot = slots[r];
    if (!slot) continue;
    const kind = order[r]!;
    counts.push(w.count[kind](slot.length));
    const items: LetterItem[] = [];
    for (const i of slot) items.push({ text: line(i, w), url: origin + itemPath(i.ref) });
    const t = tone[kind];
    sections.push(t ? { heading: w.heading[kind], tone: t, items } : { heading: w.heading[kind], items });
  }
  const action = primaryAction(digest.items, w);
  return {
    lang,
    to: digest.recipient.email,
    subject,
    greeting: w.greeting(digest.recipient.name),
    paragraphs: [w.happened(kit.name, counts), digest.items.length === 1 ? w.todo.one : w.todo.many],
    sections,
    button: { label: action.label, url: origin + action.path },
    signature: kit.signature,
    footer: kit.footer,
    footerLinks: [kit.prefs, { label: w.links.unsubscribe, url: origin + consoleLinks.unsubscribe(token) }],
  };
}

export function composeDigest(digest: Digest, ctx: DigestContext): MailMessage {
  const lang = letterLang(digest.recipient.locale, ctx.tenant.locale);
  const kit = kitFor(lang, ctx.tenant.name, ctx.publicUrl);
  const slots = slotsOf(digest.items);
  const subject = kit.w.subject(
    n(slots[rank.due]) + n(slots[rank.shortfall]) + n(slots[rank.review]),
    n(slots[rank.overdue]) + n(slots[rank.escalation]),
    n(slots[rank.summary]),
    n(slots[rank.rescheduled]),
    n(slots[rank.log_missing]) + n(slots[rank.log_review]) + n(slots[rank.log_score]),
  );
  const token = ctx.unsubscribeToken;
  const headers = { "List-Unsubscribe": `<${kit.origin}/v1/unsubscribe?token=${uriComponent(token)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
  return deferredLetter({ to: digest.recipient.email, subject, headers }, () => digestLetter(digest, slots, kit, lang, subject, token));
}
