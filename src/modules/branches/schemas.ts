import * as v from "valibot";
import { branchKinds } from "../../db/tenant/schema.js";
import { idField, lineText, timestampOut } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";

const branchName = lineText(100);
const sortOrder = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

export const branchCreateBody = v.strictObject({
  name: branchName,
  kind: v.picklist(branchKinds),
  parentId: v.optional(v.nullable(idField("br"))),
  secretaryId: v.optional(v.nullable(idField("mem"))),
  sortOrder: v.optional(sortOrder),
});
export type BranchCreate = v.InferOutput<typeof branchCreateBody>;

export const branchPatchBody = v.strictObject({
  name: v.optional(branchName),
  kind: v.optional(v.picklist(branchKinds)),
  parentId: v.optional(v.nullable(idField("br"))),
  secretaryId: v.optional(v.nullable(idField("mem"))),
  sortOrder: v.optional(sortOrder),
});
export type BranchPatch = v.InferOutput<typeof branchPatchBody>;

export const branchListQuery = v.strictObject({
  ...pageQuery,
  parentId: v.optional(idField("br")),
  kind: v.optional(v.picklist(branchKinds)),
  /** Only this branch's subtree (itself and everything below it). */
  within: v.optional(idField("br")),
});

export const branchIdParam = v.object({ id: idField("br") });

export const branchOut = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(branchKinds),
  parentId: v.nullable(v.string()),
  path: v.string(),
  depth: v.number(),
  secretaryId: v.nullable(v.string()),
  sortOrder: v.number(),
  memberCount: v.number(),
  createdAt: timestampOut,
  updatedAt: timestampOut,
});
/** A create or edit's answer: the branch, and the role change naming its secretary (or 组长) caused. */
export const branchWriteOut = v.object({
  ...branchOut.entries,
  roleChanged: v.nullable(v.object({ memberId: v.string(), from: v.literal("member"), to: v.literal("secretary") })),
});

