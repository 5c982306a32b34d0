export * from "./platform.js";
// Each feature keeps its tables in its own file beside this one; drizzle-kit reads them through these exports.
export * from "./checklists.js";
export * from "./projects.js";
export * from "./pledges.js";
export * from "./reminders.js";
export * from "./calendar.js";
export * from "./calendar-days.js";
export * from "./files.js";
export * from "./publishing.js";
export * from "./worklogs.js";
export * from "./exams.js";
