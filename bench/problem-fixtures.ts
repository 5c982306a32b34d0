// Data for part 8: a bureau's 路长制 ledger at scale, written straight into a tenant database with SQL
// in multi-row INSERT batches: projects with their road chiefs and partner 支部, service logs (a few
// corrected), and 吹哨报到 problems whose whole history is generated as the workflow would have left
// it — raised, perhaps transferred, acknowledged, started, resolved, perhaps returned and resolved
// again, verified, closed — each step on or past its clock, cut short where a problem stalled or where
// "now" falls. Every problem gets its issue_events rows (the history its page shows), followers,
// responsible units and sometimes comments.
import type { Client } from "@libsql/client";
import { chineseDaysCalendar } from "../src/calendar/chinese-days-seed.js";
import { addDays } from "../src/calendar/days.js";
import { WorkCalendar } from "../src/calendar/work-calendar.js";
import { newId } from "../src/db/ids.js";
import { builtInCategories, type CategoryRule } from "../src/modules/issues/categories.js";
import { dueAt } from "../src/modules/issues/clocks.js";
import { inserts, prng, type SeededOrg } from "./fixtures.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Asia/Shanghai has no DST: local time is UTC+8 all year. */
const SHANGHAI = 8 * HOUR;

/**
 * src/modules/issues/clocks.ts `dueAt` for Asia/Shanghai, without Intl: the real one builds an
 * Intl.DateTimeFormat per call (≈0.4 ms), which for 100,000 clocks would be most of the seeding.
 * Checked against the real one on a sample before it is used.
 */
/** The national calendar from the package: a bench has no control database to read it from. */
const calendar = new WorkCalendar(chineseDaysCalendar());

function dueAtShanghai(startMs: number, days: number, unit: CategoryRule["ackUnit"]): number {
  const local = new Date(startMs + SHANGHAI).toISOString();
  const date = local.slice(0, 10);
  const time = local.slice(11, 23);
  const at = (d: string, t: string) => Date.parse(`${d}T${t}Z`) - SHANGHAI;
  if (unit === "calendar_days") return at(addDays(date, days), time);
  // A year without official data counts weekends only, as the real clock does (provisionally).
  if (calendar.isWorkingDay(date)) return at(calendar.addWorkingDays(date, days), time);
  const first = calendar.nextWorkingDay(addDays(date, 1));
  return at(addDays(calendar.addWorkingDays(first, days - 1), 1), "00:00:00.000");
}

export function checkClockReplica(samples = 200) {
  const rand = prng(7);
  const start = Date.parse("2025-06-01T00:00:00Z");
  for (let i = 0; i < samples; i++) {
    const at = start + Math.floor(rand() * 520 * DAY);
    const rule = builtInCategories[i % builtInCategories.length]!;
    for (const [days, unit] of [[rule.ackDays, rule.ackUnit], [rule.resolveDays, rule.resolveUnit]] as const) {
      const real = dueAt(new Date(at), days, unit, "Asia/Shanghai", calendar).at.getTime();
      const mine = dueAtShanghai(at, days, unit);
      if (real !== mine) throw new Error(`clock replica disagrees: ${new Date(at).toISOString()} + ${days} ${unit}: ${new Date(real).toISOString()} vs ${new Date(mine).toISOString()}`);
    }
  }
}

const DISTRICTS = ["钟山区", "水城区", "六枝特区", "盘州市", "红桥新区", "高新区", "经开区", "老城区"];
const ROADS = [
  "人民路", "凉都大道", "钟山大道", "荷城路", "迎宾路", "黄土坡路", "明湖路", "德坞路", "水西路", "麒麟路", "建设东路", "钟山西路",
  "攀枝花大道", "红岩路", "双水大道", "大连路", "中山路", "环城北路", "滨河路", "龙井路", "杨柳街", "广场路", "南环路", "河滨路",
];
const KIND_LABEL = { expressway: "快速路工程", metro_road: "地铁配套道路", renovation: "提升改造工程", other: "市政配套工程" } as const;
const KINDS = Object.keys(KIND_LABEL) as (keyof typeof KIND_LABEL)[];
const TAGS = ["重点工程", "民生实事", "城市更新", "十大工程", "年度目标", "省级重点"];
const UNITS = ["中国电信", "中国移动", "中国联通", "国网供电公司", "市自来水公司", "华润燃气", "区交警大队", "区城管局", "区住建局", "区自然资源局", "市生态环境局", "街道办事处", "中铁十八局项目部", "市政设计院"];
const TITLES: Record<string, string[]> = {
  utility: ["电信人孔井需抬升", "供水管线迁改滞后", "燃气管道与雨水管冲突", "电力杆线未迁移影响施工", "通信光缆迁改方案未确定", "路灯电缆需改迁", "污水管接驳口标高不符"],
  traffic: ["施工围挡占道导致拥堵", "临时交通导改标志缺失", "公交站台需临时迁移", "路口信号灯需调整配时", "夜间施工车辆进出无人指挥"],
  land: ["沿线商户拆迁未完成", "征地补偿协商未果", "临时用地手续未落实", "违章搭建影响红线范围"],
  approval: ["占道施工许可未办结", "绿化迁移审批滞后", "夜间施工许可待批", "设计变更审批未完成"],
  environment: ["渣土车未覆盖扬尘", "夜间施工噪声投诉", "施工废水直排雨水口", "裸土未覆盖"],
  safety: ["基坑临边防护缺失", "脚手架搭设不规范", "临时用电线路私拉乱接", "施工便道积水路面湿滑"],
  other: ["群众反映出行不便", "沿街商户反映经营受影响", "施工铭牌信息不全", "临时便民通道需增设"],
};
const CATEGORY_WEIGHTS: [string, number][] = [["utility", 30], ["traffic", 18], ["land", 8], ["approval", 10], ["environment", 14], ["safety", 10], ["other", 10]];
const LOG_KINDS = ["site_visit", "site_visit", "inspection", "coordination_meeting", "phone_coordination"] as const;

const iso = (ms: number) => new Date(ms).toISOString();
const pick = <T>(rand: () => number, xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

export interface ProblemSeedOptions {
  projects: number;
  problems: number;
  adminId: string;
  /** Road chiefs; the first has `chiefShare` of the projects with a chief. */
  chiefs?: number;
  chiefShare?: number;
  seed?: number;
  now?: number;
}

export interface ProblemSeed {
  chiefs: { id: string; email: string; projects: number }[];
  counts: { projects: number; logs: number; issues: number; events: number; followers: number; units: number; comments: number; unresolved: number };
  ms: number;
}

type Status = "open" | "transferred" | "acknowledged" | "in_progress" | "returned" | "resolved" | "verified" | "closed";
interface Step { action: string; to: Status; at: number; actor: string; data?: Record<string, unknown> | null; note?: string | null }

/**
 * Writes projects, logs and problems for an org already seeded by seedOrg (1,000+ members). People:
 * `chiefs` road chiefs, 40 supervisors (督办), 300 handlers (承办) and 300 followers (跟办), drawn from
 * the org's active plain members, the pools disjoint so a road chief sees exactly their own projects.
 */
export async function seedProblems(client: Pick<Client, "batch">, org: SeededOrg, options: ProblemSeedOptions): Promise<ProblemSeed> {
  const t0 = performance.now();
  const rand = prng(options.seed ?? 5_005);
  const now = options.now ?? Date.now();
  const start = Date.parse("2025-06-01T00:00:00+08:00");
  const plain = org.members.filter((m) => m.status === "active" && m.role === "member");
  const chiefCount = options.chiefs ?? 8;
  const need = chiefCount + 40 + 300 + 300;
  if (plain.length < need) throw new Error(`seedProblems needs ${need} active plain members, the org has ${plain.length}`);
  const chiefs = plain.slice(0, chiefCount);
  const supervisors = plain.slice(chiefCount, chiefCount + 40);
  const handlers = plain.slice(chiefCount + 40, chiefCount + 340);
  const followers = plain.slice(chiefCount + 340, chiefCount + 640);
  const units = org.branches.filter((b) => b.kind === "branch");

  // ── projects: the first road chief has `chiefShare` of them, a few planned ones have none yet ──
  const projectRows: unknown[][] = [];
  const branchRows: unknown[][] = [];
  const projects: { id: string; chief: string | null; weight: number; start: number }[] = [];
  const perChief = new Map<string, number>();
  const unchiefed = Math.max(1, Math.round(options.projects * 0.05));
  const withChief = options.projects - unchiefed;
  const firstShare = Math.round(withChief * (options.chiefShare ?? 0.3));
  for (let p = 0; p < options.projects; p++) {
    const created = start - Math.floor(rand() * 200 * DAY);
    const id = newId("prj", created);
    const chief = p < withChief ? (p < firstShare ? chiefs[0]! : chiefs[1 + ((p - firstShare) % (chiefCount - 1))]!) : null;
    const kind = pick(rand, KINDS);
    const road = pick(rand, ROADS);
    const to = pick(rand, ROADS.filter((r) => r !== road));
    const status = chief === null ? "planned" : rand() < 0.18 ? "completed" : "under_construction";
    const startDate = iso(created + 20 * DAY).slice(0, 10);
    const endDate = status === "completed" ? iso(now - Math.floor(rand() * 120 * DAY)).slice(0, 10) : rand() < 0.6 ? iso(now + Math.floor(rand() * 400 * DAY)).slice(0, 10) : null;
    const district = pick(rand, DISTRICTS);
    const name = `${road}（${to}段）${KIND_LABEL[kind]}${rand() < 0.3 ? (rand() < 0.5 ? "一期" : "二期") : ""}`;
    const tags = TAGS.filter(() => rand() < 0.2);
    const stamp = iso(created);
    projectRows.push([id, name, kind, district, `${road}—${to}`, startDate, endDate, status, chief?.id ?? null, JSON.stringify(tags), rand() < 0.5 ? `${district}${name}，全长约${(1 + rand() * 8).toFixed(1)}公里。` : null, options.adminId, stamp, stamp]);
    const partners = new Set([pick(rand, units).id, ...(rand() < 0.5 ? [pick(rand, units).id] : [])]);
    for (const b of partners) branchRows.push([id, b]);
    projects.push({ id, chief: chief?.id ?? null, weight: status === "planned" ? 0.05 : 0.3 + rand() ** 2 * 3, start: Math.max(start, created + 20 * DAY) });
    if (chief) perChief.set(chief.id, (perChief.get(chief.id) ?? 0) + 1);
  }

  // ── service logs: about ten per project, a few corrected by a later entry ──
  const logRows: unknown[][] = [];
  const logsOf = new Map<string, string[]>();
  for (const project of projects) {
    const n = project.weight < 0.1 ? 1 : 6 + Math.floor(rand() * 10);
    const ids: string[] = [];
    let previous: { id: string; at: number } | undefined;
    for (let i = 0; i < n; i++) {
      const visited = project.start + Math.floor(rand() * Math.max(DAY, now - project.start - DAY));
      const id = newId("log", visited);
      const author = project.chief ?? options.adminId;
      const kind = pick(rand, LOG_KINDS);
      const participants = JSON.stringify([author, ...(rand() < 0.5 ? [pick(rand, supervisors).id] : [])]);
      const corrects = previous && rand() < 0.04 ? previous : undefined;
      logRows.push([
        id, project.id, kind, iso(visited), rand() < 0.5 ? iso(visited + Math.floor(rand() * 3 * HOUR)) : null, participants, JSON.stringify(rand() < 0.6 ? ["施工单位项目经理"] : []),
        kind === "coordination_meeting" ? "召集施工、设计、管线单位协调迁改进度" : "现场查看施工进度和文明施工情况", rand() < 0.3 ? JSON.stringify([{ name: "现场照片.jpg", url: "https://files.example.cn/p.jpg" }]) : "[]",
        rand() < 0.4 ? JSON.stringify({ address: "施工现场", lat: 26.59 + rand() / 50, lng: 104.83 + rand() / 50 }) : null,
        corrects?.id ?? null, corrects ? "补充参会人员" : null, author, iso(Math.max(visited, corrects ? corrects.at + HOUR : visited) + HOUR),
      ]);
      if (!corrects) ids.push(id);
      previous = corrects ? undefined : { id, at: visited };
    }
    logsOf.set(project.id, ids);
  }

  // ── problems and their histories ──
  const cumulative: number[] = [];
  let total = 0;
  for (const p of projects) cumulative.push((total += p.weight));
  const pickProject = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return projects[lo]!;
  };
  const categoryTotal = CATEGORY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const pickCategory = () => {
    let x = rand() * categoryTotal;
    for (const [key, w] of CATEGORY_WEIGHTS) if ((x -= w) < 0) return builtInCategories.find((c) => c.key === key)!;
    return builtInCategories[0]!;
  };

  const issueRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  const followerRows: unknown[][] = [];
  const unitRows: unknown[][] = [];
  const commentRows: unknown[][] = [];
  let unresolved = 0;
  for (let i = 0; i < options.problems; i++) {
    const project = pickProject();
    const from = project.start;
    // Raised over the project's life so far, a little more often lately (construction picks up).
    const raised = from + Math.floor(rand() ** 0.8 * Math.max(HOUR, now - from - 2 * HOUR));
    const category = pickCategory();
    const id = newId("iss", raised);
    const raisedBy = project.chief ?? options.adminId;
    const supervisor = rand() < 0.8 ? pick(rand, supervisors).id : null;
    const verifier = supervisor ?? project.chief ?? options.adminId;
    let handler = pick(rand, handlers).id;
    const firstHandler = handler;
    const ackDue0 = dueAtShanghai(raised, category.ackDays, category.ackUnit);
    const resolveDue = dueAtShanghai(raised, category.resolveDays, category.resolveUnit);
    let ackDue = ackDue0;
    const chosenFollowers = [...new Set(Array.from({ length: rand() < 0.3 ? 0 : rand() < 0.6 ? 1 : rand() < 0.7 ? 2 : 3 }, () => pick(rand, followers).id))];
    const chosenUnits = [...new Set(Array.from({ length: rand() < 0.05 ? 0 : rand() < 0.75 ? 1 : 2 }, () => pick(rand, UNITS)))];

    // The whole path the problem would take if nothing stalled it; then cut where it stalled and at now.
    const steps: Step[] = [{ action: "raised", to: "open", at: raised, actor: raisedBy, data: { handlerId: firstHandler, supervisorId: supervisor, followerIds: chosenFollowers, category: category.key, responsibleUnits: chosenUnits, ackDueAt: iso(ackDue0), resolveDueAt: iso(resolveDue) } }];
    let t = raised;
    if (rand() < 0.06) {
      t += Math.floor(rand() * 0.8 * (ackDue0 - raised));
      const to = pick(rand, handlers.filter((h) => h.id !== handler)).id;
      ackDue = dueAtShanghai(t, category.ackDays, category.ackUnit);
      steps.push({ action: "transferred", to: "transferred", at: t, actor: project.chief ?? handler, data: { fromHandlerId: handler, toHandlerId: to, ackDueAt: iso(ackDue) }, note: "不属于本单位职责，转交相关单位办理" });
      handler = to;
    }
    const lateAck = rand() >= 0.85;
    t += Math.floor((lateAck ? 1 + rand() * 1.5 : rand() * 0.95) * Math.max(HOUR, ackDue - t));
    steps.push({ action: "acknowledged", to: "acknowledged", at: t, actor: handler, data: { onTime: t <= ackDue } });
    t += Math.floor((0.05 + rand()) * DAY * 0.8);
    steps.push({ action: "started", to: "in_progress", at: t, actor: handler });
    const lateResolve = rand() >= 0.75;
    t = Math.max(t + HOUR, raised + Math.floor((lateResolve ? 1 + rand() * 2 : 0.3 + rand() * 0.69) * (resolveDue - raised)));
    steps.push({ action: "resolved", to: "resolved", at: t, actor: handler, data: { onTime: t <= resolveDue } });
    if (rand() < 0.06) {
      t += Math.floor((0.5 + rand() * 1.5) * DAY);
      steps.push({ action: "returned", to: "returned", at: t, actor: verifier, note: "现场复核未整改到位" });
      t += Math.floor((0.2 + rand()) * DAY);
      steps.push({ action: "started", to: "in_progress", at: t, actor: handler });
      t += Math.floor((1 + rand() * 4) * DAY);
      steps.push({ action: "resolved", to: "resolved", at: t, actor: handler, data: { onTime: t <= resolveDue } });
    }
    t += Math.floor((0.2 + rand() * 2.8) * DAY);
    steps.push({ action: "verified", to: "verified", at: t, actor: verifier });
    t += Math.floor((0.1 + rand() * 4.9) * DAY);
    steps.push({ action: "closed", to: "closed", at: t, actor: verifier });
    // One in ten stalls somewhere short of closed (waiting on a utility, a permit, a signature).
    let kept = steps.length;
    if (rand() < 0.1) kept = 1 + Math.floor(rand() * (steps.length - 1));
    while (kept > 1 && steps[kept - 1]!.at > now) kept--;
    const history = steps.slice(0, kept);
    const last = history[history.length - 1]!;
    const status = last.to;
    if (["open", "transferred", "acknowledged", "in_progress", "returned"].includes(status)) unresolved++;

    // What the row says now, from its history.
    let acknowledgedAt: number | null = null;
    let resolvedAt: number | null = null;
    let verifiedAt: number | null = null;
    let closedAt: number | null = null;
    let returns = 0;
    let transfers = 0;
    let currentHandler = firstHandler;
    for (const s of history) {
      if (s.action === "transferred") {
        transfers++;
        acknowledgedAt = null;
        currentHandler = s.data!.toHandlerId as string;
      }
      if (s.action === "acknowledged") acknowledgedAt = s.at;
      if (s.action === "resolved") resolvedAt = s.at;
      if (s.action === "returned") {
        returns++;
        resolvedAt = null;
      }
      if (s.action === "verified") verifiedAt = s.at;
      if (s.action === "closed") closedAt = s.at;
    }
    const title = pick(rand, TITLES[category.key]!);
    const logIds = logsOf.get(project.id)!;
    issueRows.push([
      id, project.id, logIds.length && rand() < 0.3 ? pick(rand, logIds) : null, title, rand() < 0.6 ? `${title}，需相关单位尽快协调解决。` : null, category.key, currentHandler, supervisor, status, iso(raised), raisedBy,
      category.ackDays, category.ackUnit, category.resolveDays, category.resolveUnit, iso(transfers ? ackDue : ackDue0), iso(resolveDue),
      acknowledgedAt === null ? null : iso(acknowledgedAt), resolvedAt === null ? null : iso(resolvedAt), verifiedAt === null ? null : iso(verifiedAt), closedAt === null ? null : iso(closedAt),
      resolvedAt !== null || verifiedAt !== null ? "已协调相关单位完成整改" : null, returns, transfers, history.length, iso(raised), iso(last.at),
    ]);
    history.forEach((s, k) => {
      eventRows.push([newId("iev", s.at), id, k + 1, s.action, k === 0 ? null : history[k - 1]!.to, s.to, s.actor, s.note ?? null, s.data ? JSON.stringify(s.data) : null, iso(s.at)]);
    });
    for (const f of chosenFollowers) followerRows.push([id, f]);
    for (const u of chosenUnits) unitRows.push([id, u]);
    if (rand() < 0.15) {
      for (let c = 1 + Math.floor(rand() * 2); c > 0; c--) {
        const at = Math.min(now - 60_000, raised + Math.floor(rand() * 3 * DAY));
        commentRows.push([newId("cmt", at), id, rand() < 0.5 ? currentHandler : (project.chief ?? options.adminId), "已联系对方单位，约定本周现场会商。", iso(at)]);
      }
    }
  }

  const statements = [
    ...inserts("projects", ["id", "name", "kind", "district", "road_section", "start_date", "end_date", "status", "road_chief_id", "tags", "description", "created_by", "created_at", "updated_at"], projectRows),
    ...inserts("project_branches", ["project_id", "branch_id"], branchRows),
    ...inserts("project_logs", ["id", "project_id", "kind", "visited_at", "ended_at", "participant_ids", "other_participants", "summary", "attachments", "location", "corrects_id", "correction_reason", "author_id", "created_at"], logRows),
    ...inserts(
      "issues",
      ["id", "project_id", "log_id", "title", "description", "category", "handler_id", "supervisor_id", "status", "raised_at", "raised_by", "ack_days", "ack_unit", "resolve_days", "resolve_unit", "ack_due_at", "resolve_due_at", "acknowledged_at", "resolved_at", "verified_at", "closed_at", "resolution", "return_count", "transfer_count", "version", "created_at", "updated_at"],
      issueRows,
    ),
    ...inserts("issue_events", ["id", "issue_id", "seq", "action", "from_status", "to_status", "actor_id", "note", "data", "at"], eventRows),
    ...inserts("issue_followers", ["issue_id", "member_id"], followerRows),
    ...inserts("issue_units", ["issue_id", "unit"], unitRows),
    ...inserts("issue_comments", ["id", "issue_id", "author_id", "body", "created_at"], commentRows),
  ];
  await client.batch(statements, "write");
  return {
    chiefs: chiefs.map((c) => ({ id: c.id, email: c.email, projects: perChief.get(c.id) ?? 0 })),
    counts: { projects: projectRows.length, logs: logRows.length, issues: issueRows.length, events: eventRows.length, followers: followerRows.length, units: unitRows.length, comments: commentRows.length, unresolved },
    ms: performance.now() - t0,
  };
}
