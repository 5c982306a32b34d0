// The page's first script (web/vite.config.ts: bootScript), tiny and loaded `async` beside the
// shell: it sends the session refresh at once, so on a slow line the round trip is over before the
// shell has downloaded. It imports nothing; session.ts's restoreSession() reads the answer.
// Same lock as session.ts's refreshSession: two tabs never present one refresh cookie at once.
const send = (): Promise<BootRefresh> =>
  fetch("/v1/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json", "Qingdan-Session": "cookie" }, body: "{}", credentials: "same-origin" }).then(
    async (res) => ({ status: res.status, body: await res.text() }),
    () => null,
  );
const locks = (navigator as Navigator & { locks?: LockManager }).locks;
window.qdBootRefresh = locks ? locks.request("qingdan-refresh", send) : send();

// A module, not a script: its names stay its own.
export {};
