import { expect } from "vitest";
import type { Page } from "playwright-core";
import { type Api, STRONG_PASSWORD } from "../../support/api.js";
import { confirmSignupFromOutbox } from "./outbox.js";
import type { RunningApp } from "./server.js";

/** The page waits on the API over a shared, busy machine: a second is too little. */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

/** 某市住建局: 机关党委 over 第一党支部 and 第二党支部, each with a secretary and two members. */
export async function office(api: Api, app: RunningApp) {
  const t = await api.signUp({ name: "某市住建局", confirm: false });
  await confirmSignupFromOutbox(app, t.member.email);
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const branches = [];
  for (const [name, secretary, members] of [["第一党支部", "郭群", ["马西", "李醒尘"]], ["第二党支部", "黄文斌", ["王钏", "陈宣通"]]] as const) {
    const branch = await api.createBranch(admin, { name, kind: "branch", parentId: committee.id });
    const sec = await api.addMember(admin, { branchId: branch.id, name: secretary });
    await api.patch(`/v1/branches/${branch.id}`, { secretaryId: sec.id }, admin);
    const people = [];
    for (const m of members) people.push({ name: m, ...(await api.addMember(admin, { branchId: branch.id, name: m })) });
    branches.push({ ...branch, name, secretary: { name: secretary, ...sec }, members: people });
  }
  return { t, admin, committee, branches };
}

export async function signIn(page: Page, slug: string, email: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("单位标识").fill(slug);
  await page.getByLabel("邮箱或手机号").fill(email);
  await page.getByLabel("密码").fill(STRONG_PASSWORD);
  await page.getByRole("button", { name: "登录" }).tap();
  await page.waitForURL((url) => url.pathname === next);
}

