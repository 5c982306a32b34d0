// Tenant databases on Turso through its Platform API. Only `fetch`: this runs in the Worker as well as in Node.
import type { DatabaseProvisioner } from "./http-tenant-databases.js";

export interface TursoProvisionerOptions {
  organization: string;
  /** The group every tenant database goes into; one group token then opens them all. */
  group: string;
  apiToken: string;
  /** Default https://api.turso.tech. */
  apiBase?: string;
  fetch?: typeof fetch;
  /**
   * Turns the API's `Hostname` into the URL @libsql/client/http wants. Turso answers a bare DNS name
   * (`db-org.turso.io`) served over TLS, hence the default. The local stand-in cannot mint DNS names,
   * so it answers `127.0.0.1:PORT/t/<name>` and its tests map that to `http://…/` (plain HTTP, and the
   * trailing slash the client needs to resolve `v2/pipeline` under a path).
   */
  urlFor?: (hostname: string) => string;
  /** Attempts per API call, counting the first (default 3). */
  attempts?: number;
  /** First backoff delay; doubled per attempt, with jitter (default 250 ms). */
  baseDelayMs?: number;
  /** Cap on a server-sent Retry-After: signup must still finish, or report, within a Worker request. */
  maxRetryAfterMs?: number;
  /** Per attempt: a hung connection counts as a network error and is retried (default 10 s). */
  timeoutMs?: number;
}

/** A Platform API call that failed; `status` is undefined when no answer came back at all. */
export class TursoApiError extends Error {
  override readonly name = "TursoApiError";
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly apiMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`Turso ${operation}: ${status === undefined ? "no answer" : status} ${apiMessage}`.trim(), options);
  }
}

interface ApiAnswer {
  status: number;
  body: unknown;
}

/** A name Turso accepts: a 400 for any other is about the name, never a duplicate. */
const TURSO_NAME = /^[a-z0-9-]{1,64}$/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryable = (status: number) => status === 429 || status >= 500;

/** Retry-After is either seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function errorText(body: unknown): string {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === "string" ? error : JSON.stringify(body ?? null);
}

function hostnameOf(body: unknown, operation: string): { Hostname: string; group?: unknown } {
  const database = (body as { database?: { Hostname?: unknown; group?: unknown } } | null)?.database;
  if (typeof database?.Hostname !== "string" || database.Hostname === "") {
    throw new TursoApiError(operation, 200, `answer has no database.Hostname: ${JSON.stringify(body)}`);
  }
  return database as { Hostname: string; group?: unknown };
}

export function tursoProvisioner(opts: TursoProvisionerOptions): DatabaseProvisioner {
  const base = `${(opts.apiBase ?? "https://api.turso.tech").replace(/\/+$/, "")}/v1/organizations/${encodeURIComponent(opts.organization)}/databases`;
  // Called through a wrapper: workerd throws "Illegal invocation" when fetch is detached from globalThis.
  const doFetch = opts.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const urlFor = opts.urlFor ?? ((hostname: string) => `https://${hostname}`);
  const attempts = Math.max(1, opts.attempts ?? 3);
  const baseDelayMs = opts.baseDelayMs ?? 250;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  /** Answers the last response; retries network errors, 429 and 5xx; the caller judges the status. */
  async function call(operation: string, method: string, url: string, body?: unknown): Promise<ApiAnswer> {
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined;
      try {
        const res = await doFetch(url, {
          method,
          headers: { authorization: `Bearer ${opts.apiToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text === "" ? null : JSON.parse(text);
        } catch {} // a proxy's HTML error page stays text, and ends up in the error message
        if (!retryable(res.status) || attempt >= attempts) return { status: res.status, body: parsed };
        wait = retryAfterMs(res.headers.get("retry-after"));
        if (wait !== undefined) wait = Math.min(wait, maxRetryAfterMs);
      } catch (error) {
        if (attempt >= attempts) throw new TursoApiError(operation, undefined, `${(error as Error)?.message ?? error}`, { cause: error });
      }
      await sleep(wait ?? baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    }
  }

  const fail = (operation: string, answer: ApiAnswer) => new TursoApiError(operation, answer.status, errorText(answer.body));

  return {
    async create(name) {
      const operation = `createDatabase ${name}`;
      const created = await call(operation, "POST", base, { name, group: opts.group });
      if (created.status === 200) return { url: urlFor(hostnameOf(created.body, operation).Hostname) };
      // A duplicate name is 409 in Turso's documentation, but 400 from the Platform API since mid-2026
      // (tursodatabase/turso-docs#409); a 400 is also any other refusal, so the lookup below decides.
      if (created.status !== 409 && (created.status !== 400 || !TURSO_NAME.test(name))) throw fail(operation, created);
      // It may exist: either an earlier signup got this far before crashing, or a retry of ours whose
      // first answer was lost. Carry on with it, but only if it is ours to use, i.e. in our group.
      const lookup = `getDatabase ${name}`;
      const existing = await call(lookup, "GET", `${base}/${encodeURIComponent(name)}`);
      if (existing.status !== 200) throw created.status === 400 ? fail(operation, created) : fail(lookup, existing);
      const database = hostnameOf(existing.body, lookup);
      if (database.group !== opts.group) {
        throw new TursoApiError(operation, created.status, `${errorText(created.body)} (in group ${JSON.stringify(database.group ?? null)}, not ${JSON.stringify(opts.group)})`);
      }
      return { url: urlFor(database.Hostname) };
    },
    async destroy(name) {
      const operation = `deleteDatabase ${name}`;
      const deleted = await call(operation, "DELETE", `${base}/${encodeURIComponent(name)}`);
      // Already gone is the outcome we want (a retried cleanup).
      if (deleted.status !== 200 && deleted.status !== 404) throw fail(operation, deleted);
    },
  };
}
