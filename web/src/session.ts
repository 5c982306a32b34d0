import { computed, reactive } from "vue";
import type { InferResponseType } from "hono/client";
import { publicApi, readProblem } from "./api";

type SessionAnswer = InferResponseType<typeof publicApi.v1.auth.login.$post, 200>;
export type Member = SessionAnswer["member"];
export type SessionTenant = SessionAnswer["tenant"];
export type Role = Member["role"];

/**
 * The signed-in member. The access token lives here, in memory only; the refresh token is an
 * HttpOnly cookie the script never sees (set by the server when a request carries
 * `Qingdan-Session: cookie`), so a reload costs one refresh round trip.
 */
const state = reactive({
  accessToken: null as string | null,
  expiresAt: 0,
  member: null as Member | null,
  tenant: null as SessionTenant | null,
  /** Reloaded with no network: the person of the last session is shown, without a token, until it comes back. */
  offline: false,
  /** Counts the times an offline session got its token back: the tab layout remounts the page then. */
  resumed: 0,
});

export const session = {
  signedIn: computed(() => state.accessToken !== null),
  /** Signed in on this phone but the page was (re)loaded with no network: show the shell and what waits, no API. */
  offline: computed(() => state.offline),
  /** Either of the two: the pages inside the tab layout may open. */
  present: computed(() => state.accessToken !== null || state.offline),
  member: computed(() => state.member),
  tenant: computed(() => state.tenant),
  role: computed(() => state.member?.role),
  resumed: computed(() => state.resumed),
};

export function accessToken() {
  return state.accessToken;
}

/** Whether the token is about to expire, so a request refreshes first instead of failing with 401. */
export function accessTokenStale(now = Date.now()) {
  return state.accessToken !== null && state.expiresAt - now < 30_000;
}

/** Called with the answer of login, invitation accept, signup or refresh. */
export function startSession(answer: { accessToken: string; accessTokenExpiresAt: string; member: Member; tenant: SessionTenant }) {
  state.accessToken = answer.accessToken;
  state.expiresAt = Date.parse(answer.accessTokenExpiresAt);
  state.member = answer.member;
  state.tenant = answer.tenant;
  if (state.offline) state.resumed++;
  state.offline = false;
  localStorage.setItem(REMEMBERED_TENANT, answer.tenant.slug);
  rememberWho();
}

export function updateMember(member: Member) {
  state.member = member;
  rememberWho();
}

export function endSession() {
  state.accessToken = null;
  state.expiresAt = 0;
  state.member = null;
  state.offline = false;
  localStorage.removeItem(LAST_SESSION);
}

/**
 * Who was signed in, kept on the phone (never a token): a reload with no signal shows that person's
 * shell and the writes still waiting instead of a login page that cannot work offline either.
 * Removed at sign-out and whenever the server refuses the refresh cookie.
 */
const LAST_SESSION = "qd.session";
function rememberWho() {
  if (state.member && state.tenant) localStorage.setItem(LAST_SESSION, JSON.stringify({ member: state.member, tenant: state.tenant }));
}
function resumeOffline(): boolean {
  try {
    const last = JSON.parse(localStorage.getItem(LAST_SESSION) ?? "null") as { member: Member; tenant: SessionTenant } | null;
    if (!last?.member || !last.tenant) return false;
    Object.assign(state, { member: last.member, tenant: last.tenant, offline: true });
    return true;
  } catch {
    return false;
  }
}

let refreshing: Promise<boolean> | null = null;
let restoring: Promise<boolean> | null = null;

/**
 * The session a (re)load starts with, asked once: main.ts starts it before the app mounts, so its
 * round trip overlaps the first page's code; the router's first guard awaits the same answer.
 */
export function restoreSession(): Promise<boolean> {
  // The built page's boot script (web/src/boot.ts) has usually asked already, while the shell downloaded.
  const boot = typeof window === "undefined" ? undefined : window.qdBootRefresh;
  restoring ??= state.accessToken !== null ? Promise.resolve(true) : boot ? boot.then((answer) => (answer ? settleRefresh(answer.status, () => JSON.parse(answer.body)) : keepOffline())) : refreshSession();
  return restoring;
}

type RefreshAnswer = Parameters<typeof startSession>[0];

/** A refresh answer: a 5xx keeps what there is (as no network does), another refusal ends the session, success starts it. */
async function settleRefresh(status: number, body: () => Promise<RefreshAnswer> | RefreshAnswer): Promise<boolean> {
  if (status >= 500) return keepOffline();
  if (status < 200 || status >= 300) {
    endSession();
    return false;
  }
  startSession(await body());
  return true;
}

/**
 * Trade the refresh cookie for a new access token (and a rotated cookie). One at a time across
 * tabs (Web Locks): two tabs presenting the same cookie would look like token theft and end both.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= withRefreshLock(async () => {
    try {
      const res = await publicApi.v1.auth.refresh.$post({ json: {} });
      return await settleRefresh(res.status, () => res.json());
    } catch {
      // No network: keep whatever session there is; the pages work from the queue and cache.
      return keepOffline();
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The refresh could not be asked (no network, server down): a token in memory stays; after a reload, the last person. */
function keepOffline(): boolean {
  return state.accessToken !== null || state.offline || resumeOffline();
}

function withRefreshLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request("qingdan-refresh", run) : run();
}

/** `login` is an email or a mainland mobile number: members without email sign in with their phone. */
export async function logIn(tenant: string, login: string, password: string) {
  const byPhone = !login.includes("@");
  const res = await publicApi.v1.auth.login.$post({ json: byPhone ? { tenant, phone: login, password } : { tenant, email: login, password } });
  if (!res.ok) throw await readProblem(res);
  startSession(await res.json());
  localStorage.setItem(REMEMBERED_EMAIL, login);
}

export async function logOut() {
  try {
    await publicApi.v1.auth.logout.$post({ json: {} });
  } finally {
    endSession();
  }
}

const REMEMBERED_TENANT = "qd.tenant";
const REMEMBERED_EMAIL = "qd.email";
/** Typed on an auth page this visit (登录 → 忘记密码 and back): the next page starts from it. In memory only. */
const typed: { tenant?: string; email?: string } = {};
export const remembered = {
  tenant: () => typed.tenant ?? localStorage.getItem(REMEMBERED_TENANT) ?? "",
  email: () => typed.email ?? localStorage.getItem(REMEMBERED_EMAIL) ?? "",
  /** An auth page leaving: what its 单位标识 and 邮箱 fields hold. */
  keepTyped(tenant: string, email: string) {
    typed.tenant = tenant;
    typed.email = email;
  },
};
