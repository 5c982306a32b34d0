import type { AddressInfo } from "node:net";
import { type HttpBindings, serve } from "@hono/node-server";
import { BODY_LIMIT_BYTES } from "../../app.js";

interface FetchApp {
  fetch(request: Request, env: HttpBindings): Response | Promise<Response>;
}

/**
 * The app answered before reading the request's body (401, a malformed id, 413…). Left there, the
 * rest of the body sits in the connection: @hono/node-server drains it for 500 ms and then destroys
 * the socket, so the client's next request on that keep-alive connection got no answer at all.
 * A body within the limit is read to its end and dropped (the client is sending it anyway); any
 * other (too big, chunked, partly read) gets `Connection: close`, so the client knows to reconnect.
 */
export async function settleUnreadBody(request: Request, response: Response, env: HttpBindings): Promise<Response> {
  if (request.method === "GET" || request.method === "HEAD" || env.incoming.readableEnded) return response;
  const length = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!request.bodyUsed && Number.isInteger(length) && length <= BODY_LIMIT_BYTES) {
    try {
      await request.arrayBuffer();
      return response;
    } catch {} // the client went away or the body broke: close below
  }
  const headers = new Headers(response.headers);
  headers.set("connection", "close");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export interface ServeOptions {
  port: number;
  hostname: string;
}

/** The Node HTTP server for the app (npm start, the bench, socket-level tests). */
export function serveApp(app: FetchApp, options: ServeOptions, onListening?: (info: AddressInfo) => void) {
  return serve(
    {
      fetch: async (request: Request, env) => settleUnreadBody(request, await app.fetch(request, env as HttpBindings), env as HttpBindings),
      port: options.port,
      hostname: options.hostname,
      // A body must arrive within a minute; an idle keep-alive connection is kept 65 s (longer than
      // common proxies' 60 s, so the proxy, not us, closes it and never reuses a closed one).
      serverOptions: { requestTimeout: 60_000, keepAliveTimeout: 65_000 },
    },
    onListening,
  );
}
