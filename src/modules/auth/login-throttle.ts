import type { ControlDb } from "../../platform/ports.js";
import { ProblemError } from "../../http/problem.js";
import type { HashGate } from "./hash-gate.js";
import { type Bucket, clearBuckets, countEvent, POLICIES, throttled, waitSeconds } from "./throttle.js";

/**
 * The buckets a login attempt counts in: the account (by bureau slug and email, so an unknown
 * bureau is throttled like a known one), and when the client's address is known, the account from
 * that client and the client across accounts.
 */
export function loginBuckets(slug: string, email: string, address: string): Bucket[] {
  const account = `login:${slug}:${email.toLowerCase()}`;
  const buckets: Bucket[] = [{ name: account, policy: POLICIES.loginAccount }];
  if (address !== "unknown") {
    buckets.push({ name: `${account}:${address}`, policy: POLICIES.loginAccountClient }, { name: `login-client:${address}`, policy: POLICIES.loginClient });
  }
  return buckets;
}

/**
 * Runs a login attempt behind its throttles: refused (429, Retry-After) while any bucket holds it
 * back, counted when the credentials are wrong, and the account's failures forgotten on success.
 * The check runs inside the hash gate, so attempts queued in one isolate see each other's failures.
 */
export async function throttledLogin<T>(control: ControlDb, gate: HashGate, buckets: Bucket[], now: () => Date, attempt: () => Promise<T>): Promise<T> {
  return gate.run(async () => {
    const wait = await waitSeconds(control, buckets, now());
    if (wait > 0) throw throttled(wait);
    try {
      const result = await attempt();
      await clearBuckets(control, buckets.filter((b) => b.policy !== POLICIES.loginClient).map((b) => b.name));
      return result;
    } catch (error) {
      if (error instanceof ProblemError && error.code === "auth.invalid_credentials") await countEvent(control, buckets, now());
      throw error;
    }
  });
}
