import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { serveApp } from "../../src/platform/node/serve-app.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/**
 * Issue 11 §3, at the socket level: a request answered before its body was read (401, a bad id,
 * 413) must not make the next request on the same keep-alive connection vanish.
 */
let target: NodeTarget;
let server: ReturnType<typeof serveApp>;
let port: number;

beforeAll(async () => {
  target = await startNodeTarget();
  server = serveApp(createApp(target.ports), { port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await target.close();
});

/** A raw connection that collects what the server sends and whether it closed. */
function rawConnection() {
  const socket: Socket = connect(port, "127.0.0.1");
  const state = { text: "", closed: false };
  socket.on("data", (chunk) => (state.text += chunk.toString("latin1")));
  socket.on("close", () => (state.closed = true));
  socket.on("error", () => {});
  const until = async (done: () => boolean, ms = 3_000) => {
    const end = Date.now() + ms;
    while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  };
  return { socket, state, until };
}

const statusLines = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe("a keep-alive connection after an early answer", () => {
  const early: [string, string, number][] = [
    ["401 before authentication", "POST /v1/projects", 401],
    ["404 for a route that reads no body", "POST /v1/no-such-route", 404],
  ];
  for (const [name, line, status] of early) {
    it(`answers the next request (${name}, 600 KB body)`, async () => {
      const { socket, state, until } = rawConnection();
      const body = `{"name":"${"x".repeat(600_000)}"}`;
      socket.write(`${line} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body);
      await until(() => statusLines(state.text).length >= 1);
      expect(statusLines(state.text)).toEqual([status]);
      // The next request on the same connection, after the first answer: the one that used to vanish.
      socket.write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
      await until(() => statusLines(state.text).length >= 2 || state.closed);
      expect(statusLines(state.text)).toEqual([status, 200]);
      // And the connection stays usable past @hono/node-server's 500 ms drain.
      await new Promise((r) => setTimeout(r, 700));
      socket.write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
      await until(() => statusLines(state.text).length >= 3 || state.closed);
      expect(statusLines(state.text)).toEqual([status, 200, 200]);
      socket.destroy();
    });
  }

  it("says Connection: close when the body is too big to read and drop", async () => {
    const { socket, state, until } = rawConnection();
    // 2 MB declared, over the 1 MB limit: answered 413 at once, and the client is told to reconnect.
    socket.write(`POST /v1/projects HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`);
    socket.write("x".repeat(64 * 1024));
    await until(() => state.closed || statusLines(state.text).length >= 1);
    expect(statusLines(state.text)).toEqual([413]);
    expect(state.text).toMatch(/^connection: close\r$/im);
    await until(() => state.closed);
    expect(state.closed).toBe(true);
  });
});
