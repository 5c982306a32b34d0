// `npx tsx bench/worklogs-only.ts`: part 14 alone (BENCH_WORKLOG_MEMBERS, BENCH_WORKLOG_SECONDS), its rows as a table.
import { worklogBench } from "./worklogs.js";
import { markdownTable } from "./support.js";

worklogBench().then((rows) => console.log(markdownTable(rows)));
