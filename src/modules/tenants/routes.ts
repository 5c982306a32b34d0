import { type Context, Hono } from "hono";
import type { PublicEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { clientAddress } from "../../http/client-address.js";
import { nowOf } from "../../http/context.js";
import { countEvent, POLICIES, throttled, waitSeconds } from "../auth/throttle.js";
import { provisioningOut, sessionOut, signupBody, slugField, tenantStatusOut } from "./schemas.js";
import { signUp, tenantStatus } from "./service.js";
import * as v from "valibot";

const tags = ["tenants"];

/** On Workers the provisioning outlives the response through waitUntil; Node has no execution context and needs none. */
function keepAlive(c: Context<PublicEnv>, work: Promise<unknown>) {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // Node: the promise runs to its end on its own.
  }
}

export const tenantRoutes = new Hono<PublicEnv>()
  .post(
    "/",
    docs({
      summary: "Sign a bureau up: its own database, its first admin, and tokens; a confirmation email goes to the admin",
      description: "201 with tokens when the database is ready within the request; otherwise 202 with `status: provisioning` — poll the status URL, then log in.",
      tags,
      auth: false,
      responses: { 201: sessionOut, 202: provisioningOut },
      problems: [409, 429, 503],
    }),
    validate("json", signupBody),
    async (c) => {
      const address = clientAddress(c);
      if (address !== "unknown") {
        // A per-client quota: signing bureaus up is not free for anyone to script.
        const bucket = [{ name: `signup:${address}`, policy: POLICIES.signupClient }];
        const [count = 0] = await countEvent(c.get("ports").control, bucket, nowOf(c));
        if (count > POLICIES.signupClient.free) throw throttled(Math.max(1, await waitSeconds(c.get("ports").control, bucket, nowOf(c))));
      }
      const outcome = await signUp(c.get("ports"), c.req.valid("json"), c.get("requestId"), (work) => keepAlive(c, work));
      return outcome.status === 201 ? c.json(outcome.body, 201) : c.json(outcome.body, 202);
    },
  )
  .get("/:slug/status", docs({ summary: "Whether a tenant's database is ready", tags, auth: false, responses: { 200: tenantStatusOut } }), validate("param", v.object({ slug: slugField })), async (c) => {
    return c.json(await tenantStatus(c.get("ports"), c.req.valid("param").slug), 200);
  });
