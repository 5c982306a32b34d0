import { beforeAll, describe } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";

let tokens: Record<Role, string>;
let foreignAdmin: string;

// Every role has its own feed; the public feed route is checked in feed.test.ts (it answers 404, never 401).
const routes: RouteCase[] = [
  { method: "GET", path: "/v1/me/calendar-feed", minRole: "member" },
  { method: "POST", path: "/v1/me/calendar-feed", minRole: "member" },
  { method: "DELETE", path: "/v1/me/calendar-feed", minRole: "member" },
];

const api = apiForSuite();
beforeAll(async () => {
  const t = await api.signUp();
  const branch = await api.createBranch(t.accessToken, { name: "第一支部" });
  const secretary = await api.addMember(t.accessToken, { role: "secretary", branchId: branch.id });
  const member = await api.addMember(t.accessToken, { branchId: branch.id });
  tokens = { admin: t.accessToken, secretary: secretary.accessToken, member: member.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
});

describe("the calendar feed's own routes", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin }));
});
