// Part 9's delivery alone: prebuilt digests through the Node SMTP mailer (src/platform/node/smtp-mailer.ts)
// into the part's counting smtp-server (bench/smtp-sink.ts), sessions as deliverAll opens them (one a
// tenant, up to the session's window of messages handed at once, pipelined), several tenants at once as a thread runs them. Composed in
// waves outside the clock, so the figures are sending only: CPU per email of this process and of the
// SMTP server, emails/s, connections opened. The sweep rows keep the end-to-end figure.
import { loadavg } from "node:os";
import { composeDigest } from "../src/jobs/compose.js";
import type { DigestItem } from "../src/jobs/plan.js";
import { smtpMailer } from "../src/platform/node/smtp-mailer.js";
import type { MailMessage } from "../src/platform/ports.js";
import type { SmtpSink } from "./smtp-sink.js";
import { fmtInt, type Row } from "./support.js";

const ITEMS: DigestItem[] = [
  { category: "tasks", kind: "due", ref: { type: "task", id: "tsk_due" }, title: "提交思想汇报", dueDate: "2026-12-24", daysLeft: 0 },
  { category: "tasks", kind: "shortfall", ref: { type: "task", id: "tsk_short" }, title: "参加志愿服务（不少于2次）", dueDate: "2026-12-31", daysLeft: 7, progress: "1/2" },
  { category: "tasks", kind: "overdue", ref: { type: "task", id: "tsk_late" }, title: "撰写学习心得", dueDate: "2026-12-15", daysLeft: -9 },
];

/** One tenant's digests, as the sweep composes them (a distinct recipient and Message-ID each). */
function tenantDigests(tenant: number, members: number): MailMessage[] {
  return Array.from({ length: members }, (_, i) => {
    const m = composeDigest(
      { recipient: { id: `mem_${tenant}_${i}`, email: `member.${String(i).padStart(3, "0")}@delivery-${tenant}.example.cn`, name: "张伟", locale: null }, items: ITEMS },
      { tenant: { name: `某市第${tenant + 1}局` }, publicUrl: "https://qingdan.example.cn", unsubscribeToken: `bench.${tenant}.${i}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa` },
    );
    return { ...m, headers: { ...m.headers, "Message-ID": `<delivery-${tenant}-${i}@qingdan>` } };
  });
}

export async function deliveryOnly(sink: SmtpSink, settings: { emails: number; members: number; sessions: number }): Promise<Row> {
  const { members, sessions } = settings;
  const tenants = Math.max(1, Math.floor(settings.emails / members));
  const mailer = smtpMailer(sink.url, "qingdan <noreply@qingdan.test>");
  const before = await sink.stats();
  const load = loadavg()[0]!;
  let cpu = 0;
  let ms = 0;
  let failed = 0;
  try {
    for (let wave = 0; wave < tenants; wave += sessions) {
      const batch = Array.from({ length: Math.min(sessions, tenants - wave) }, (_, k) => tenantDigests(wave + k, members));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        batch.map(async (messages) => {
          const session = await mailer.openSession!();
          // As deliverAll: up to the session's window handed over before their outcomes are awaited.
          let next = 0;
          const hand = async () => {
            while (next < messages.length) await session.send(messages[next++]!).catch(() => failed++);
          };
          await Promise.all(Array.from({ length: session.window ?? 1 }, hand));
          await session.close();
        }),
      );
      ms += performance.now() - t0;
      const used = process.cpuUsage(c0);
      cpu += used.user + used.system;
    }
  } finally {
    mailer.close();
  }
  const after = await sink.stats();
  const sent = tenants * members;
  const got = after.messages - before.messages;
  const sinkCpu = (after.cpuMicros - before.cpuMicros) / sent;
  // Issue 19's 3,000 emails/s on 2 cores: what the SMTP server leaves of them, per email, for the sweep's process.
  const budget = (2_000_000 - 3_000 * sinkCpu) / 3_000;
  if (failed || got !== sent || after.duplicateMessageIds !== before.duplicateMessageIds) throw new Error(`delivery only: ${got} of ${sent} arrived, ${failed} failed, ${after.duplicateMessageIds - before.duplicateMessageIds} duplicates`);
  return {
    part: "9 reminders",
    case: `Node delivery alone: ${fmtInt(sent)} prebuilt digests (${fmtInt(tenants)} tenants × ${members}) through smtpMailer into smtp-server, ${sessions} sessions at once on one thread (deliverAll's: one connection a tenant, its window of sends pipelined)`,
    result: `${(ms / 1000).toFixed(1)} s · ${fmtInt(sent / (ms / 1000))} emails/s on one thread`,
    relative: `${(cpu / sent).toFixed(0)} µs CPU per email in the sending process + ${sinkCpu.toFixed(0)} in the SMTP server's; at 3,000/s on 2 cores the server leaves ${budget.toFixed(0)} µs an email for planning, composing and sending together`,
    note: `sending only (digests composed in waves of ${sessions} tenants outside the clock): MIME built once a digest (mime.ts), nodemailer's SMTPConnection for the handshake, then each content and the next envelope in one write (smtp-pipeline.ts), connections kept; ${fmtInt(after.connections - before.connections)} SMTP connections for ${fmtInt(got)} messages, all arrived, 0 duplicates; load ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
  };
}
