import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { requireRole } from "../../http/middleware.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import {
  approveBody,
  closeBody,
  evaluationBody,
  evaluationOut,
  pledgeCreateBody,
  pledgeDetailOut,
  pledgeIdParam,
  subListQuery,
  pledgeListQuery,
  pledgeOut,
  pledgePatchBody,
  publicDisplayBody,
  returnBody,
  settingsBody,
  settingsOut,
  updateBody,
  updateOut,
  versionOut,
} from "./schemas.js";
import { addEvaluation, closePledge } from "./evaluation.js";
import { approvePledge, createPledge, deletePledge, editPledge, returnPledge, setPublicDisplay, submitPledge, withdrawPledge } from "./lifecycle.js";
import { addUpdate } from "./progress.js";
import { getPledge, listEvaluations, listPledges, listUpdates, listVersions } from "./reads.js";
import { getSettings, saveSettings } from "./settings.js";

const tags = ["pledges"];

export const pledgeRoutes = new Hono<AppEnv>()
  .get("/settings", requireRole("admin"), docs({ summary: "The bureau's pledge settings: evaluation weights and the public board (admin)", tags, responses: { 200: settingsOut } }), async (c) => {
    return c.json(await getSettings(serviceContext(c)), 200);
  })
  .put("/settings", requireRole("admin"), docs({ summary: "Set the evaluation weights (summing to 100) and the public board's privacy (admin)", tags, responses: { 200: settingsOut } }), validate("json", settingsBody), async (c) => {
    return c.json(await saveSettings(serviceContext(c), c.req.valid("json")), 200);
  })
  .get("/", docs({ summary: "List pledges: one's own, approved ones of the bureau, and (secretary) those of one's subtree", tags, responses: { 200: pageOf(pledgeOut) } }), validate("query", pledgeListQuery), async (c) => {
    return c.json(await listPledges(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/", docs({ summary: "Draft a pledge (承诺), model post (示范岗) or responsibility statement (责任书) of one's own", tags, responses: { 201: pledgeDetailOut } }), validate("json", pledgeCreateBody), async (c) => {
    return c.json(await createPledge(serviceContext(c), c.req.valid("json")), 201);
  })
  .get("/:id", docs({ summary: "One pledge: the version in force, progress and trend, evaluations; a pending revision for its owner and reviewers", tags, responses: { 200: pledgeDetailOut } }), validate("param", pledgeIdParam), async (c) => {
    return c.json(await getPledge(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Edit one's pledge: a draft in place; after submission or approval a new draft version", tags, responses: { 200: pledgeDetailOut }, problems: [409] }), validate("param", pledgeIdParam), validate("json", pledgePatchBody), async (c) => {
    return c.json(await editPledge(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .delete("/:id", docs({ summary: "Delete one's pledge that was never approved", tags, responses: { 204: null }, problems: [409] }), validate("param", pledgeIdParam), async (c) => {
    await deletePledge(serviceContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .get("/:id/versions", docs({ summary: "The version history, oldest first, a page at a time (others than the owner and reviewers see the approved versions only)", tags, responses: { 200: pageOf(versionOut) } }), validate("param", pledgeIdParam), validate("query", subListQuery), async (c) => {
    return c.json(await listVersions(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .post("/:id/submit", docs({ summary: "Submit the current draft to the branch secretary", description: "A pledge or 示范岗 needs at least one target (409 `pledge.incomplete`); a 责任书 (`responsibility_statement`) needs at least one clause (409 `pledge.no_clauses`), and submitting it is the member's signature (签订): `signatures.member`.", tags, responses: { 200: pledgeDetailOut }, problems: [409] }), validate("param", pledgeIdParam), async (c) => {
    return c.json(await submitPledge(serviceContext(c), c.req.valid("param").id), 200);
  })
  .post("/:id/withdraw", docs({ summary: "Take back a submission, or drop an unapproved revision", tags, responses: { 200: pledgeDetailOut }, problems: [409] }), validate("param", pledgeIdParam), async (c) => {
    return c.json(await withdrawPledge(serviceContext(c), c.req.valid("param").id), 200);
  })
  .post("/:id/approve", docs({ summary: "Approve the submitted version (secretary of the branch subtree, or admin; not one's own)", description: "Reviewers are the secretaries of the pledge's branch and of the branches above it, and admins. On a 责任书 approving is the leader's signature (签订): `signatures.leader` records who and when.", tags, responses: { 200: pledgeDetailOut }, problems: [409] }), validate("param", pledgeIdParam), validate("json", approveBody), async (c) => {
    return c.json(await approvePledge(serviceContext(c), c.req.valid("param").id, c.req.valid("json").note), 200);
  })
  .post("/:id/return", docs({ summary: "Return the submitted version with a reason", tags, responses: { 200: pledgeDetailOut }, problems: [409] }), validate("param", pledgeIdParam), validate("json", returnBody), async (c) => {
    return c.json(await returnPledge(serviceContext(c), c.req.valid("param").id, c.req.valid("json").reason), 200);
  })
  .put("/:id/public-display", docs({ summary: "Consent (or not) to one's pledge on the bureau's public board", tags, responses: { 200: pledgeDetailOut } }), validate("param", pledgeIdParam), validate("json", publicDisplayBody), async (c) => {
    return c.json(await setPublicDisplay(serviceContext(c), c.req.valid("param").id, c.req.valid("json").publicDisplay), 200);
  })
  .get("/:id/updates", docs({ summary: "Progress reports (践诺), oldest first, a page at a time, each with the percent it brought the pledge to", tags, responses: { 200: pageOf(updateOut) } }), validate("param", pledgeIdParam), validate("query", subListQuery), async (c) => {
    return c.json(await listUpdates(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .post("/:id/updates", docs({
      summary: "Report progress on one's approved pledge: a note, amounts toward targets, links and photos; at most 400 a pledge",
      description:
        "Each `progress` entry says what its number is. `amount` is an increment, added to what the target reached so far (本次完成 6 个). `total` is the new running total and replaces it (累计 15 个: after 6 then `total: 15` the target stands at 15, not 21). `done` marks a done/not-done target. A target's percent is capped at 100; the pledge's percent is the mean over its targets. A 责任书's clauses are done/not-done targets.",
      tags,
      responses: { 201: updateOut },
      problems: [409],
    }), validate("param", pledgeIdParam), validate("json", updateBody), async (c) => {
    return c.json(await addUpdate(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
  })
  .get("/:id/evaluations", docs({ summary: "Evaluations (评诺), oldest first, a page at a time; peers' names only to reviewers", tags, responses: { 200: pageOf(evaluationOut) } }), validate("param", pledgeIdParam), validate("query", subListQuery), async (c) => {
    return c.json(await listEvaluations(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .post("/:id/evaluations", docs({ summary: "Evaluate: self (owner), leader (reviewer), peer (a member of the same branch); once each", tags, responses: { 201: evaluationOut }, problems: [409] }), validate("param", pledgeIdParam), validate("json", evaluationBody), async (c) => {
    return c.json(await addEvaluation(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
  })
  .post("/:id/close", docs({ summary: "Close as fulfilled, partly fulfilled or unfulfilled, freezing the weighted score", tags, responses: { 200: pledgeDetailOut }, problems: [409] }), validate("param", pledgeIdParam), validate("json", closeBody), async (c) => {
    return c.json(await closePledge(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  });
