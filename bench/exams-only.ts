// `npx tsx bench/exams-only.ts`: part 16 alone (about two minutes).
import { examsBench } from "./exams.js";
import { markdownTable } from "./support.js";

void examsBench().then((rows) => console.log(markdownTable(rows)));
