import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import type { PublicEnv } from "../../http/env.js";
import { publicTenant } from "../../http/public-tenant.js";
import { docs } from "../../http/openapi.js";
import { notFound } from "../../http/problem.js";
import { validate } from "../../http/validation.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { clientAddress, clientHash } from "./rate-limit.js";
import { boardParam, publicBoardOut, publicListQuery, publicPledgeOut, publicPledgeParam, ratedOut, ratingBody } from "./schemas.js";
import { getPublished, listPublished, type PublicDeps, ratePublished } from "./service.js";

const tags = ["public board"];

/**
 * The bureau's public board (承诺公示): no login. The slug names the bureau; everything is read from
 * that bureau's own database, so nothing of another tenant can appear. A bureau that has not opened
 * its board answers like one that does not exist.
 */
export function publicRoutes(directory: TenantDirectory) {
  const depsFor = async (c: Context<PublicEnv>, slug: string): Promise<PublicDeps> => {
    const t = await publicTenant(c, directory, { slug });
    if (!t) throw notFound("public_board.not_found");
    return t;
  };

  return new Hono<PublicEnv>()
    .use(cors({ origin: "*", allowMethods: ["GET", "POST"], allowHeaders: ["Content-Type", "Accept-Language"], maxAge: 86_400 }))
    .get("/:tenantSlug/pledges", docs({ summary: "A bureau's published pledges, names shown as the bureau chooses (no login)", tags, auth: false, responses: { 200: publicBoardOut } }), validate("param", boardParam), validate("query", publicListQuery), async (c) => {
      const deps = await depsFor(c, c.req.valid("param").tenantSlug);
      return c.json(await listPublished(deps, c.req.valid("query")), 200);
    })
    .get("/:tenantSlug/pledges/:id", docs({ summary: "One published pledge with its progress trend (no login)", tags, auth: false, responses: { 200: publicPledgeOut } }), validate("param", publicPledgeParam), async (c) => {
      const { tenantSlug, id } = c.req.valid("param");
      return c.json(await getPublished(await depsFor(c, tenantSlug), id), 200);
    })
    .post(
      "/:tenantSlug/pledges/:id/ratings",
      docs({ summary: "Rate a published pledge, 1–5 stars (no login; rate-limited per client and per pledge)", tags, auth: false, responses: { 201: ratedOut }, problems: [403, 409, 429] }),
      validate("param", publicPledgeParam),
      validate("json", ratingBody),
      async (c) => {
        const { tenantSlug, id } = c.req.valid("param");
        const deps = await depsFor(c, tenantSlug);
        const client = await clientHash(c.get("ports").config.jwtSecret, deps.tenant.id, clientAddress(c));
        return c.json(await ratePublished(deps, id, c.req.valid("json").stars, client), 201);
      },
    );
}
