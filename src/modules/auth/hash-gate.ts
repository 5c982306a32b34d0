import { ProblemError } from "../../http/problem.js";

/**
 * Password hashing is deliberately slow (PBKDF2, 100,000 rounds). Left unbounded, a flood of logins
 * takes every core and every other tenant's reads slow down with it (issue #10: p50 4 ms → 1.3 s).
 * At most `slots` hashes run at once in this process or isolate; a few wait; beyond that the
 * caller is told to come back (429 + Retry-After) rather than queue without end.
 */
export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly slots = 1,
    private readonly maxWaiting = 16,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) {
        const busy = new ProblemError("auth.busy", { headers: { "Retry-After": "1" } });
        throw busy;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` only drops when nobody waits.
      if (next) next();
      else this.running--;
    }
  }
}
