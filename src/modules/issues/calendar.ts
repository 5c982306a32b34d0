import { sql } from "drizzle-orm";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import { localDate } from "../../calendar/zoned.js";
import type { IssueStatus } from "../../db/tenant/schema.js";
import type { ExtraFeedEvents } from "../calendar/events.js";
import { isUnacknowledged, UNRESOLVED_SQL } from "./statuses.js";

/** The 吹哨报到 clocks a handler runs against, in their calendar feed: acknowledge-by while unacknowledged, then resolve-by. */
export const issueClockEvents: ExtraFeedEvents = async (member, { db, tenant, publicUrl }) => {
  const rows = await db.all<{ id: string; title: string; status: string; ackDueAt: string; resolveDueAt: string; project: string; updatedAt: string; provisional: number }>(sql`
    SELECT i.id AS id, i.title AS title, i.status AS status, i.ack_due_at AS ackDueAt, i.resolve_due_at AS resolveDueAt, p.name AS project, i.updated_at AS updatedAt, i.calendar_provisional AS provisional
    FROM issues i JOIN projects p ON p.id = i.project_id
    WHERE i.handler_id = ${member.id} AND i.status IN ${UNRESOLVED_SQL}`);
  const en = member.lang === "en";
  return rows.map((r) => {
    const url = consoleUrl(publicUrl, consoleLinks.problem(r.id));
    const acknowledging = isUnacknowledged(r.status as IssueStatus);
    const clock = acknowledging ? (en ? "acknowledge by" : "签收截止") : en ? "resolve by" : "办结截止";
    return {
      uid: `${r.id}@qingdan`,
      date: localDate(new Date(acknowledging ? r.ackDueAt : r.resolveDueAt), tenant.timezone),
      summary: en ? `[Problem] ${r.title} (${clock})` : `【问题】${r.title}（${clock}）`,
      // A working-day clock computed before the year's official arrangement arrived may still move.
      description: `${r.project}\n${url}${r.provisional ? (en ? "\nThe year's official holiday arrangement is not out yet: this deadline counts weekends only and may move" : "\n该年度法定节假日安排尚未公布，期限暂按周末推算，公布后可能调整") : ""}`,
      url,
      alarm: true,
      updatedAt: r.updatedAt,
    };
  });
};
