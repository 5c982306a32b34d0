import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as controlSchema from "../../db/control/schema.js";
import { applyMigrations } from "../../db/migrate.js";
import { bundledMigrations } from "../../db/migrations.generated.js";
import { weekday } from "../../calendar/days.js";
import { CalendarFileError, parseCalendarIcs, parseCalendarJson } from "../../calendar/import-file.js";
import { NationalCalendar } from "../../calendar/national.js";
import { importNationalYear, nationalYear } from "../../calendar/national-store.js";

const USAGE = `usage:
  npm run calendar -- import <file.json|file.ics> [--year 2027] [--source "…"] [--db <url>]
  npm run calendar -- show <year> [--db <url>]
--db: the control database: file:./data/control.db (default: DATA_DIR/control.db), or a libSQL/Turso URL
      (libsql://…, https://…; the token in CONTROL_DB_AUTH_TOKEN)`;

const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  now?: () => Date;
}

/** `npm run calendar`: load a year of China's holiday arrangement into a control database, or show one. Answers the exit code. */
export async function runCalendarCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { year: { type: "string" }, source: { type: "string" }, db: { type: "string" } } });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [command, arg] = positionals;
  if ((command !== "import" && command !== "show") || !arg || positionals.length > 2) {
    io.err(USAGE);
    return 2;
  }
  const url = values.db ?? io.env.CONTROL_DB_URL ?? `file:${io.env.DATA_DIR ?? "./data"}/control.db`;
  const client = createClient({ url, authToken: io.env.CONTROL_DB_AUTH_TOKEN });
  try {
    try {
      await applyMigrations(client, bundledMigrations.control);
    } catch (error) {
      io.err(`cannot reach the control database at ${url}: ${error instanceof Error ? error.message : error}`);
      return 1;
    }
    const control = drizzle(client, { schema: controlSchema });
    // The years chinese-days knows, as the app itself would seed them on start.
    await new NationalCalendar(control).start();
    if (command === "show") return await show(control, Number(arg), io);

    let file;
    try {
      const text = await readFile(arg, "utf8");
      const year = values.year === undefined ? undefined : Number(values.year);
      file = /\.ics$/i.test(arg) || text.trimStart().startsWith("BEGIN:VCALENDAR") ? parseCalendarIcs(text, { year, source: values.source }) : parseCalendarJson(text);
      if (values.source && !/\.ics$/i.test(arg)) file = { ...file, source: values.source };
    } catch (error) {
      if (error instanceof CalendarFileError) {
        io.err(`refused ${arg}: nothing was imported`);
        for (const p of error.problems) io.err(`  line ${p.line}: ${p.reason}`);
        return 1;
      }
      io.err(`cannot read ${arg}: ${error instanceof Error ? error.message : error}`);
      return 1;
    }
    const { replaced } = await importNationalYear(control, file, io.now?.() ?? new Date());
    const holidays = file.days.filter((d) => d.kind === "holiday").length;
    io.out(`${replaced ? "replaced" : "imported"} ${file.year}: ${holidays} holiday dates, ${file.days.length - holidays} make-up working days (${file.source})`);
    io.out("each tenant's provisional dates in that year are re-rolled by the next hourly sweep (the job queue)");
    return 0;
  } finally {
    client.close();
  }
}

async function show(control: Parameters<typeof nationalYear>[0], year: number, io: CliIo): Promise<number> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    io.err("the year must be a whole number from 2000 to 2100");
    return 2;
  }
  const known = await nationalYear(control, year);
  if (!known.year) {
    io.out(`${year}: provisional — no official arrangement yet; weekends are rest days and Monday–Friday working days until one is imported`);
    return 0;
  }
  io.out(`${year}: official — ${known.year.source}, imported ${known.year.importedAt}${known.year.rerollDispatchedAt ? "" : " (tenants' re-roll not yet dispatched)"}`);
  for (const d of known.days) io.out(`  ${d.date} 周${WEEKDAYS[weekday(d.date)]} ${d.kind === "holiday" ? "休" : "班"} ${d.name}`);
  return 0;
}
