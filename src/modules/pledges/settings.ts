import { eq } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { pledgeSettings, type PledgePublicNameMode, type PledgeSettingsRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import type { SettingsInput } from "./schemas.js";
import type { Weights } from "./scoring.js";

export interface PledgeSettings {
  weights: Weights;
  /** Whether the bureau shows approved pledges on its public board at all. */
  publicBoard: boolean;
  publicNames: PledgePublicNameMode;
  /** Whether the public may rate published pledges. */
  publicRatings: boolean;
  updatedAt: string | null;
}

/**
 * Until an admin saves: leadership 40, peers 30, self 20, public 10; no public board (a bureau opts
 * in, and then shows surnames only unless it chooses otherwise).
 */
export const DEFAULT_SETTINGS: PledgeSettings = {
  weights: { self: 20, leader: 40, peer: 30, public: 10 },
  publicBoard: false,
  publicNames: "surname",
  publicRatings: false,
  updatedAt: null,
};

const SETTINGS_ID = 1;

/** The select to put in a read batch; `settingsOf` turns its rows into settings. */
export const settingsQuery = (db: TenantDb) => db.select().from(pledgeSettings).where(eq(pledgeSettings.id, SETTINGS_ID));

export function settingsOf(rows: PledgeSettingsRow[]): PledgeSettings {
  const row = rows[0];
  if (!row) return DEFAULT_SETTINGS;
  return {
    weights: { self: row.weightSelf, leader: row.weightLeader, peer: row.weightPeer, public: row.weightPublic },
    publicBoard: row.publicBoard,
    publicNames: row.publicNames,
    publicRatings: row.publicRatings,
    updatedAt: row.updatedAt,
  };
}

export async function getSettings(ctx: ServiceContext) {
  if (ctx.actor.role !== "admin") throw forbidden();
  return settingsOf(await settingsQuery(ctx.db));
}

export async function saveSettings(ctx: ServiceContext, input: SettingsInput) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const before = settingsOf(await settingsQuery(ctx.db));
  const stamp = ctx.now.toISOString();
  const values = {
    weightSelf: input.weights.self,
    weightLeader: input.weights.leader,
    weightPeer: input.weights.peer,
    weightPublic: input.weights.public,
    publicBoard: input.publicBoard,
    publicNames: input.publicNames,
    publicRatings: input.publicRatings,
    updatedAt: stamp,
    updatedBy: ctx.actor.memberId,
  };
  const after: PledgeSettings = { ...input, updatedAt: stamp };
  await runBatch(ctx.db, [
    ctx.db.insert(pledgeSettings).values({ id: SETTINGS_ID, ...values }).onConflictDoUpdate({ target: pledgeSettings.id, set: values }),
    auditInsert(ctx, { action: "pledge_settings.updated", entityType: "pledge_settings", entityId: String(SETTINGS_ID), before, after }),
  ]);
  return after;
}
