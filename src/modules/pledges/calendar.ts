import { sql } from "drizzle-orm";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import type { ExtraFeedEvents } from "../calendar/events.js";

/** A member's pledges in force, on their due dates, in the member's calendar feed. */
export const pledgeDueEvents: ExtraFeedEvents = async (member, { db, publicUrl }) => {
  const rows = await db.all<{ id: string; title: string; dueDate: string; progress: number; updatedAt: string }>(sql`
    SELECT p.id AS id, v.title AS title, p.due_date AS dueDate, p.progress_percent AS progress, p.updated_at AS updatedAt
    FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.approved_version
    WHERE p.member_id = ${member.id} AND p.closed_at IS NULL AND p.approved_version IS NOT NULL`);
  const en = member.lang === "en";
  return rows.map((r) => ({
    uid: `${r.id}@qingdan`,
    date: r.dueDate,
    summary: en ? `[Pledge] ${r.title} (due)` : `【承诺】${r.title}（截止）`,
    description: `${en ? "progress" : "进度"} ${Math.round(Number(r.progress))}%\n${consoleUrl(publicUrl, consoleLinks.pledge(r.id))}`,
    url: consoleUrl(publicUrl, consoleLinks.pledge(r.id)),
    alarm: Number(r.progress) < 100,
    updatedAt: r.updatedAt,
  }));
};
