import * as v from "valibot";
import { pledgeCategories, pledgeKinds, pledgeOutcomes } from "../../db/tenant/schema.js";
import { idField, timestampOut, yearQuery } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { targetOut } from "../pledges/schemas.js";

export const boardParam = v.object({ tenantSlug: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/)) });
export const publicPledgeParam = v.object({ ...boardParam.entries, id: idField("plg") });

export const publicListQuery = v.strictObject({
  ...pageQuery,
  year: v.optional(yearQuery),
  kind: v.optional(v.picklist(pledgeKinds)),
  category: v.optional(v.picklist(pledgeCategories)),
});

export const ratingBody = v.strictObject({ stars: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)) });

const ratingOut = v.object({ count: v.number(), averageStars: v.nullable(v.number()) });

/** What the public sees of a pledge: no member, branch, project or checklist ids, no progress notes. */
export const publicPledgeOut = v.object({
  id: v.string(),
  kind: v.picklist(pledgeKinds),
  year: v.number(),
  /** As the bureau chooses: full, surname only (王**), or null. */
  name: v.nullable(v.string()),
  branchName: v.nullable(v.string()),
  title: v.string(),
  content: v.string(),
  category: v.picklist(pledgeCategories),
  targets: v.array(targetOut),
  dueDate: v.string(),
  approvedAt: v.nullable(timestampOut),
  status: v.picklist(["in_progress", "closed"]),
  overdue: v.boolean(),
  progress: v.object({
    percent: v.number(),
    updateCount: v.number(),
    lastUpdateAt: v.nullable(timestampOut),
    targets: v.optional(v.array(v.object({ id: v.string(), achieved: v.number(), done: v.boolean(), percent: v.number() }))),
    trend: v.optional(v.array(v.object({ at: timestampOut, percent: v.number() }))),
  }),
  outcome: v.nullable(v.picklist(pledgeOutcomes)),
  closedAt: v.nullable(timestampOut),
  score: v.nullable(v.number()),
  /** Null unless the bureau takes public ratings. */
  rating: v.nullable(ratingOut),
});

export const publicBoardOut = v.object({
  bureau: v.object({ name: v.string(), ratingsOpen: v.boolean() }),
  data: v.array(publicPledgeOut),
  nextCursor: v.nullable(v.string()),
});

export const ratedOut = v.object({ pledgeId: v.string(), stars: v.number(), rating: ratingOut });
