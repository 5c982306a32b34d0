import { Api, STRONG_PASSWORD, unique } from "../support/api.js";
import { confirmSignup } from "../support/mail.js";

/**
 * Signs a bureau up on the Turso path, polls until its database is provisioned, confirms the admin's
 * email as the admin would (an unconfirmed bureau may not invite), then logs the admin in.
 */
export async function activeTenant(api: Api, prefix = "mail") {
  const slug = unique(prefix);
  const email = `a@${slug}.cn`;
  await api.post("/v1/tenants", { slug, name: "某市建委", admin: { email, name: "管理员", password: STRONG_PASSWORD } });
  for (let i = 0; i < 100 && (await api.get(`/v1/tenants/${slug}/status`)).body.status !== "active"; i++) await new Promise((r) => setTimeout(r, 100));
  await confirmSignup(api, email);
  return (await api.post("/v1/auth/login", { tenant: slug, email, password: STRONG_PASSWORD })).body;
}
