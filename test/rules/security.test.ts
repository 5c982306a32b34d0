import { beforeAll, describe } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { STRONG_PASSWORD } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";

// Routes no other matrix held (found by test/node/security-coverage.test.ts): the reminder
// settings and preview, a member's notification choices, the signup confirmation resend.

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

const api = apiForSuite();
beforeAll(async () => {
  const t = await api.signUp();
  const admin = t.accessToken;
  const branch = await api.createBranch(admin, { name: "第一支部" });
  const secretary = await api.addMember(admin, { branchId: branch.id });
  await api.patch(`/v1/branches/${branch.id}`, { secretaryId: secretary.id }, admin);
  const secLogin = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: secretary.email, password: STRONG_PASSWORD });
  const member = await api.addMember(admin, { branchId: branch.id });
  tokens = { admin, secretary: secLogin.body.accessToken, member: member.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  routes = [
    { method: "GET", path: "/v1/reminders/settings", minRole: "admin" },
    { method: "PUT", path: "/v1/reminders/settings", body: { sendHour: 9, escalationLadder: ["supervisor", "admin"] }, minRole: "admin" },
    { method: "GET", path: "/v1/reminders/preview?date=2026-03-02", minRole: "admin" },
    { method: "GET", path: "/v1/me/notifications", minRole: "member" },
    { method: "PUT", path: "/v1/me/notifications", body: { mutedCategories: ["summary"] }, minRole: "member" },
    { method: "POST", path: "/v1/tenants/confirm/resend", minRole: "admin" },
  ];
});

describe("reminder, notification and confirmation routes", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin }));
});
