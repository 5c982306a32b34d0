// `npm run calendar -- import <file>` / `npm run calendar -- show <year>`: China's holiday arrangement in
// the control database (a local file, or the Turso/libSQL control database of a Workers deployment).
import { runCalendarCli } from "../src/platform/node/calendar-cli.js";

process.exit(await runCalendarCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env }));
