import { Hono } from "hono";
import { serviceContext } from "../../http/context.js";
import { CSV_DESCRIPTION, csvResponse, wantsCsv } from "../../http/csv.js";
import type { AppEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { projectReportCsv, projectReportOut, projectReportQuery, projectTimeliness } from "./projects.js";

export const projectReportRoutes = new Hono<AppEnv>().get(
  "/",
  docs({
    summary: "路长制 timeliness per project, road chief or responsible unit for a period: visits, problems raised, acknowledged and resolved on time, median and p90 days to resolve, open and overdue now",
    description: `${CSV_DESCRIPTION} Admin: every project; a secretary: the projects of partner branches in their subtrees and their own; anyone else: the projects they are road chief of.`,
    tags: ["reports"],
    responses: { 200: projectReportOut },
  }),
  validate("query", projectReportQuery),
  async (c) => {
    const report = await projectTimeliness(serviceContext(c), c.req.valid("query"));
    if (wantsCsv(c)) {
      const { header, rows } = projectReportCsv(report, c.get("lang"));
      return csvResponse(`路长制时效-${report.by}-${report.from}_${report.to}.csv`, header, rows);
    }
    return c.json(report, 200);
  },
);
