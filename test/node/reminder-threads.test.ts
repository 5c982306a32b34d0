import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeEnvSchema, parseEnv } from "../../src/config.js";
import type { ReminderRun } from "../../src/jobs/tenant-reminders.js";
import { tenantJobQueue } from "../../src/platform/node/reminder-queue.js";
import { tenantJobThreads } from "../../src/platform/node/reminder-threads.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { Api } from "../support/api.js";
import { TEST_JWT_SECRETS } from "../support/constants.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";
import { startSmtpServer } from "../support/smtp.js";

/** npm start's sweep: tenant jobs on worker threads that open their own ports from the same settings, mail through real SMTP. */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let target: NodeTarget;
beforeAll(async () => {
  smtp = await startSmtpServer();
  target = await startNodeTarget();
});
afterAll(async () => {
  target.close();
  await smtp.close();
});

describe("the reminder sweep on worker threads", () => {
  it("sends each digest once through the threads' SMTP pool, and a second sweep sends nothing", async () => {
    const api = new Api(target);
    const b = await bureauWithChecklist(api);
    await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
    const env = parseEnv(nodeEnvSchema, { DATA_DIR: target.dataDir, LOG: "silent", JWT_SECRET: TEST_JWT_SECRETS.node, SMTP_URL: smtp.url, MAIL_FROM: "清单工作台 <noreply@qingdan.test>" });
    const runs: ReminderRun[] = [];
    const errors: unknown[] = [];
    const logger = { info: (f: Record<string, unknown>) => void (f.msg === "reminders" && runs.push(f as unknown as ReminderRun)), error: (f: unknown) => void errors.push(f) };
    // Retired 100 ms after the last job: the second sweep starts them again.
    const threads = tenantJobThreads(env, logger, 2, { idleMs: 100 });
    try {
      const queue = tenantJobQueue({ ...target.ports, logger }, { threads: { ...threads, size: 2 } });
      const job = { tenantId: b.t.tenant.id, at: "2026-12-24T01:00:00Z" };
      await queue.enqueue([job]);
      await queue.drained();
      await new Promise((r) => setTimeout(r, 300));
      await queue.enqueue([job]);
      await queue.drained();
      expect(errors).toEqual([]);
      expect(runs.map((r) => [r.sent, r.alreadySent, r.failed])).toEqual([[5, 0, 0], [0, 5, 0]]);
      const digests = smtp.received;
      expect(digests).toHaveLength(5);
      expect(new Set(digests.map((m) => m.to)).size).toBe(5);
      expect(new Set(digests.map((m) => m.messageId)).size).toBe(5);
      const m1 = digests.find((m) => m.to === b.m1.email)!;
      expect(m1.subject).toBe("今日待办 1 项，逾期 0 项");
      expect(m1.text).toContain("领办微心愿");
      expect(m1.html).toContain("领办微心愿");
      expect(m1.raw["from"]).toContain("noreply@qingdan.test");
      expect(m1.headers.get("from")).toMatchObject({ text: '"清单工作台" <noreply@qingdan.test>' });
      expect(m1.raw["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    } finally {
      await threads.close();
    }
  }, 120_000);
});
