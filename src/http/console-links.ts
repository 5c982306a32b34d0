/**
 * The console pages the server sends people to (emails, QR codes, the calendar feed). The console's
 * router registers its routes with these same patterns (web/ imports this file), so a link in an
 * email always opens a page and never a JSON route. Nothing here may import anything: both the
 * Worker and the browser bundle read it.
 *
 * Secrets (invitation, reset, confirmation and unsubscribe tokens) go after `#`: a browser never
 * sends the fragment to the server, so the token stays out of request logs, proxies and Referer.
 * The page reads it from `location.hash` and posts it to the API.
 */
export const consolePaths = {
  home: "/",
  login: "/login",
  /** #token=… → POST /v1/invitations/accept */
  invite: "/invite",
  /** #token=… → POST /v1/auth/password-reset/confirm */
  reset: "/reset",
  /** #token=… → POST /v1/tenants/confirm */
  confirm: "/confirm",
  /** #token=… → POST /v1/unsubscribe?token=… (the List-Unsubscribe header keeps that API URL for RFC 8058) */
  unsubscribe: "/unsubscribe",
  task: "/tasks/:id",
  reviews: "/reviews",
  problems: "/problems",
  problem: "/problems/:id",
  projects: "/projects",
  project: "/projects/:id",
  pledges: "/pledges",
  pledge: "/pledges/:id",
  me: "/me",
  notifications: "/me/notifications",
  /** 写日志 for one day (a missed day's reminder opens it). */
  /** The phone exam page: the paper, then its attempt. */
  exam: "/exams/:id",
  worklogDay: "/worklog/day/:date",
  worklogTeam: "/worklog/team",
  worklogScoring: "/worklog/scoring/:month",
  /** A bureau's public pledge board (no login), e.g. on a printed QR code. */
  board: "/board/:tenant",
  boardPledge: "/board/:tenant/:id",
} as const;

export type ConsolePage = keyof typeof consolePaths;

/** What encodeURIComponent leaves as it is (a ULID, a date, a signed token): tested, not encoded. */
const UNRESERVED = /^[\w.~-]*$/;
/**
 * encodeURIComponent, answering a string it would not change as it is: a digest links ~5 ids and
 * tokens, and the test costs a third of the encoding (60 against 104 ns an id, 162 against 425 a
 * token; issue 19).
 */
export const uriComponent = (s: string) => (UNRESERVED.test(s) ? s : encodeURIComponent(s));

/**
 * A pattern split once into its text and its :params, filled by position (emails fill one per item,
 * hundreds of thousands a morning: no params object and no lookup per link).
 */
const filler = (pattern: string) => {
  // Odd places hold the param names (split keeps the captured group); the values come in their order.
  const parts = pattern.split(/:(\w+)/);
  if (parts.length > 5) throw new Error(`console path ${pattern}: more than two params`);
  return (a?: string, b?: string) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) out += uriComponent((i === 1 ? a : b) ?? "") + parts[i + 1]!;
    return out;
  };
};
const fill = {
  task: filler(consolePaths.task),
  problem: filler(consolePaths.problem),
  project: filler(consolePaths.project),
  pledge: filler(consolePaths.pledge),
  exam: filler(consolePaths.exam),
  worklogDay: filler(consolePaths.worklogDay),
  worklogScoring: filler(consolePaths.worklogScoring),
  board: filler(consolePaths.board),
  boardPledge: filler(consolePaths.boardPledge),
};
const withToken = (path: string, token: string) => `${path}#token=${uriComponent(token)}`;

/** Paths (no origin) of console pages; prefix with the public URL through `consoleUrl`. */
export const consoleLinks = {
  home: () => consolePaths.home,
  invite: (token: string) => withToken(consolePaths.invite, token),
  reset: (token: string) => withToken(consolePaths.reset, token),
  confirm: (token: string) => withToken(consolePaths.confirm, token),
  unsubscribe: (token: string) => withToken(consolePaths.unsubscribe, token),
  task: (id: string) => fill.task(id),
  reviews: () => consolePaths.reviews,
  problems: () => consolePaths.problems,
  problem: (id: string) => fill.problem(id),
  project: (id: string) => fill.project(id),
  pledges: () => consolePaths.pledges,
  pledge: (id: string) => fill.pledge(id),
  notifications: () => consolePaths.notifications,
  exam: (id: string) => fill.exam(id),
  worklogDay: (date: string) => fill.worklogDay(date),
  worklogTeam: () => consolePaths.worklogTeam,
  worklogScoring: (month: string) => fill.worklogScoring(month),
  board: (tenantSlug: string) => fill.board(tenantSlug),
  boardPledge: (tenantSlug: string, id: string) => fill.boardPledge(tenantSlug, id),
};

/** The public URL without its trailing slashes; the last one kept (a process has one public URL, and a digest links it ~6 times). */
let lastUrl = "";
let lastOrigin = "";
export const consoleOrigin = (publicUrl: string) => (publicUrl === lastUrl ? lastOrigin : (lastOrigin = (lastUrl = publicUrl).replace(/\/+$/, "")));

/** An absolute link for an email or a QR code: the deployment's public URL and a console path. */
export const consoleUrl = (publicUrl: string, path: string) => consoleOrigin(publicUrl) + path;
