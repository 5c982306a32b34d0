// The console's service worker, written into public/sw.js by scripts/build-console.ts, which
// fills in the version and the shell's files. It keeps the shell so the console starts with no
// network; the API (/v1) is never cached here: writes wait in the page's own queue instead.
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const CACHE = `qingdan-${VERSION}`;
const API = /^\/(v1\/|openapi\.json|docs|healthz)/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("qingdan-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || API.test(url.pathname)) return;
  if (request.mode === "navigate") {
    // Network first so a new release shows at once; the cached shell when there is no network.
    event.respondWith(fetch(request).catch(() => caches.match("/index.html")));
    return;
  }
  if (url.pathname.startsWith("/assets/")) {
    // Hashed file names never change content: cache first, and keep page chunks once seen.
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ||
          fetch(request).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return res;
          }),
      ),
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
