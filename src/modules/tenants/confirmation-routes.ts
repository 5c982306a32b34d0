import { eq } from "drizzle-orm";
import { Hono } from "hono";
import * as v from "valibot";
import { members } from "../../db/tenant/schema.js";
import { nowOf } from "../../http/context.js";
import type { AppEnv, PublicEnv } from "../../http/env.js";
import { requireRole } from "../../http/middleware.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { countEvent, POLICIES, throttled, waitSeconds } from "../auth/throttle.js";
import { confirmTenant, resendConfirmation } from "./confirmation.js";
import type { TenantDirectory } from "./directory.js";
import { tenantView } from "./service.js";
import { tenantOut } from "./schemas.js";

const tags = ["tenants"];
const confirmBody = v.strictObject({ token: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });

/** `POST /v1/tenants/confirm`: the console page `/confirm#token=…` posts the token from the signup email. */
export function tenantConfirmationRoutes(directory: TenantDirectory) {
  return new Hono<PublicEnv>().post(
    "/",
    docs({ summary: "Confirm a signup's email address with the token from the email (valid 24 h)", tags, auth: false, responses: { 200: v.object({ tenant: tenantOut }) }, problems: [400] }),
    validate("json", confirmBody),
    async (c) => {
      const row = await confirmTenant(c.get("ports"), c.req.valid("json").token, nowOf(c));
      // This isolate stops treating the tenant as unconfirmed at once; others within the directory's TTL.
      directory.forget(row.id);
      return c.json({ tenant: tenantView(row) }, 200);
    },
  );
}

/** `POST /v1/tenants/confirm/resend`: a new link for an admin who lost the first (3 an hour). */
export const confirmationResendRoutes = new Hono<AppEnv>().use(requireRole("admin")).post(
  "/",
  docs({ summary: "Email a new signup confirmation link to me (admin; the earlier link stops working)", tags, responses: { 202: v.object({ expiresAt: v.string() }) }, problems: [409, 429] }),
  async (c) => {
    const ports = c.get("ports");
    const now = nowOf(c);
    const bucket = [{ name: `confirm-resend:${c.get("tenant").id}`, policy: POLICIES.resetAccount }];
    const wait = await waitSeconds(ports.control, bucket, now);
    if (wait > 0) throw throttled(wait);
    const [me] = await c.get("db").select({ email: members.email, name: members.name }).from(members).where(eq(members.id, c.get("actor").memberId)).limit(1);
    // The signing-up admin always has an email (signup requires one); members without email are never signup admins.
    const sent = await resendConfirmation(ports, c.get("tenant").id, { email: me?.email ?? "", name: me?.name ?? "" }, now);
    await countEvent(ports.control, bucket, now);
    return c.json(sent, 202);
  },
);
