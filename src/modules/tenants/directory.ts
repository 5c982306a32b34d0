import { eq } from "drizzle-orm";
import { tenants, type TenantRow } from "../../db/control/schema.js";
import type { TenantFacts } from "../../http/env.js";
import { Lru } from "../../platform/lru.js";
import type { ControlDb } from "../../platform/ports.js";

const TTL_MS = 60_000;

export const tenantFacts = (row: TenantRow): TenantFacts => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  timezone: row.timezone,
  locale: row.locale,
  dbLocator: row.dbLocator ?? "",
  confirmed: row.confirmationPendingSince === null,
});

/**
 * Active tenants' facts, cached in memory so an authenticated request asks the control database
 * nothing; a suspension takes effect within the TTL.
 */
export class TenantDirectory {
  private readonly cache = new Lru<string, { facts: TenantFacts | null; at: number }>(10_000);
  /** Which id a slug named: a slug moves only when a failed signup is retried, and then the old id is no longer active. */
  private readonly idBySlug = new Lru<string, string>(10_000);

  constructor(
    private readonly control: ControlDb,
    private readonly now: () => number = Date.now,
  ) {}

  async activeById(id: string): Promise<TenantFacts | null> {
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.at < TTL_MS) return hit.facts;
    const [row] = await this.control.select().from(tenants).where(eq(tenants.id, id)).limit(1);
    const facts = row && row.status === "active" && row.dbLocator ? tenantFacts(row) : null;
    this.cache.set(id, { facts, at: this.now() });
    return facts;
  }

  /** By slug (public routes, login): the id cache answers for a slug seen before, so a busy public board asks the control database nothing. */
  async activeBySlug(slug: string): Promise<TenantFacts | null> {
    const knownId = this.idBySlug.get(slug);
    const known = knownId ? await this.activeById(knownId) : null;
    if (known && known.slug === slug) return known;
    const [row] = await this.control.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
    if (!row || row.status !== "active" || !row.dbLocator) return null;
    const facts = tenantFacts(row);
    this.cache.set(row.id, { facts, at: this.now() });
    this.idBySlug.set(slug, row.id);
    return facts;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }
}
