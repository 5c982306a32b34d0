// Part 13: people in bulk. POST /v1/members/import with 5,000 rows (ADR 0003: all valid or nothing,
// two tenant round trips: one batch of reads, one of writes) into a bureau of 6 总支 and 30 支部, then
// the same file again (idempotent: nothing changes). The app runs in-process with its tenant database
// on the project's libSQL server over HTTP (as the Worker has it), whose counters give the round trips.
// Invitations are queued (invitation_sends + jobs), not sent: the mailer here only captures the
// signup's confirmation link.
import { libsqlApp } from "./libsql-app.js";
import { chineseName, prng } from "./fixtures.js";
import { fmtInt, fmtMiB, fmtMs, log, type Row } from "./support.js";

const PART = "13 import";
/** ADR 0003's promise: one batch of reads, one of writes. */
const IMPORT_ROUND_TRIPS = 2;

export async function importBench(rowCount = 5_000): Promise<Row[]> {
  // Jobs off: the invitation batches would otherwise run in-process while the second import is timed.
  const { call, signUp, libsql, close } = await libsqlApp("import", { jobs: { enqueue: async () => {} } });
  try {
    const slug = "bench-import";
    const { session, dbName } = await signUp(slug);
    const admin: string = session.accessToken;

    // The tree the rows name by path: 机关党委 / 第n党总支 / 第n党总支第m党支部.
    const root = await call("POST", "/v1/branches", { name: "机关党委", kind: "party_committee" }, admin);
    const paths: string[] = [];
    for (let g = 1; g <= 6; g++) {
      const general = await call("POST", "/v1/branches", { name: `第${g}党总支`, kind: "general_branch", parentId: root.id }, admin);
      for (let b = 1; b <= 5; b++) {
        const name = `第${g}总支第${b}党支部`;
        await call("POST", "/v1/branches", { name, kind: "branch", parentId: general.id }, admin);
        paths.push(`机关党委/第${g}党总支/${name}`);
      }
    }

    // Rows as the console sends them: a third without email (phone only), every tenth with a second branch.
    const rand = prng(15);
    const rows = Array.from({ length: rowCount }, (_, i) => {
      const { name, pinyin } = chineseName(rand);
      const phone = `139${String(10_000_000 + i).padStart(8, "0")}`;
      return {
        line: i + 2,
        name,
        nameInitials: pinyin[0]!.toLowerCase(),
        phone,
        email: i % 3 === 0 ? null : `m${i}@${slug}.example.cn`,
        branch: paths[i % paths.length],
        secondBranch: i % 10 === 0 ? paths[(i + 7) % paths.length] : null,
        role: i % 150 === 0 ? "secretary" : "member",
      };
    });
    const body = { rows };
    const bytes = Buffer.byteLength(JSON.stringify(body));

    const timed = async (label: string, payload: unknown) => {
      libsql.resetCounts();
      const t0 = performance.now();
      const answer = await call("POST", "/v1/members/import", payload, admin);
      const ms = performance.now() - t0;
      const trips = libsql.requestCount(dbName);
      log(`${label}: ${fmtMs(ms)}, ${trips} tenant round trips, created ${answer.created}, updated ${answer.updated}, unchanged ${answer.unchanged}, queued ${answer.invitationsQueued}`);
      return { ms, trips, answer };
    };
    const dry = await timed("dry run", { ...body, dryRun: true });
    const first = await timed("import", body);
    const again = await timed("same file again", body);
    if (first.answer.created !== rowCount) throw new Error(`import created ${first.answer.created} of ${rowCount}`);
    if (again.answer.unchanged !== rowCount) throw new Error(`the same file again changed ${rowCount - again.answer.unchanged} rows`);
    const over = (t: number) => (t > IMPORT_ROUND_TRIPS ? `⚠ ${t} round trips > ${IMPORT_ROUND_TRIPS} (ADR 0003)` : `within ADR 0003's ${IMPORT_ROUND_TRIPS} round trips`);
    return [
      { part: PART, case: `POST /v1/members/import, ${fmtInt(rowCount)} rows (${fmtMiB(bytes)} JSON), new members`, result: `${fmtMs(first.ms)} · ${first.trips} tenant round trips`, relative: over(first.trips), note: `${fmtInt(first.answer.created)} created, ${fmtInt(first.answer.invitationsQueued)} invitations queued (a third have no email); in-process app, tenant DB on libSQL server over HTTP` },
      { part: PART, case: "the same rows as a dry run (before the import)", result: `${fmtMs(dry.ms)} · ${dry.trips} tenant round trip${dry.trips === 1 ? "" : "s"}`, relative: over(dry.trips), note: "checks every row against the tenant, writes nothing" },
      { part: PART, case: "the same file again (idempotent)", result: `${fmtMs(again.ms)} · ${again.trips} tenant round trip${again.trips === 1 ? "" : "s"}`, relative: over(again.trips), note: `${fmtInt(again.answer.unchanged)} unchanged` },
    ];
  } finally {
    await close();
  }
}
