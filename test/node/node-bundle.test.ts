import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, NODE_BUILD_DIR } from "../../scripts/build-node.mjs";
import { nodeEnvSchema, parseEnv } from "../../src/config.js";
import { freePort } from "../../tools/net/free-port.js";

/** `npm start` runs build/node.js under plain node (ADR 0024): the bundle must serve what src/node.ts serves. */
const SECRET = "bundle-secret-bundle-secret-bundle-0123";
let dataDir: string;
let child: ChildProcess;
let base: string;


beforeAll(async () => {
  await buildNode({ ifStale: true });
  dataDir = mkdtempSync(join(tmpdir(), "qingdan-bundle-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, PUBLIC_URL: base, REMINDERS: "off", LOG: "silent", JWT_SECRET: SECRET };
  delete env.SMTP_URL;
  delete env.NODE_OPTIONS; // vitest's loader hooks must not reach the product's process
  child = spawn(process.execPath, [join(NODE_BUILD_DIR, "node.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`build/node.js exited with ${code}:\n${output}`)));
  });
}, 90_000);

afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the bundled Node server (build/node.js)", () => {
  it("is not rebuilt when nothing that went into it changed", async () => {
    expect(await buildNode({ ifStale: true })).toBe(false);
  });

  it("answers the API as problem+json, and serves the docs script from node_modules", async () => {
    const me = await fetch(`${base}/v1/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get("content-type")).toContain("application/problem+json");
    const docs = await fetch(`${base}/docs/scalar.js`);
    expect(docs.status).toBe(200);
    expect((await docs.text()).length).toBeGreaterThan(100_000);
  });

  it("loads the mailer on first use and writes the signup's confirmation into the outbox", async () => {
    const outbox = join(dataDir, "outbox");
    const res = await fetch(`${base}/v1/tenants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: "bundle-jw", name: "打包测试局", admin: { email: "admin@bundle.test", name: "王局长", password: "Qingdan-2026-secure" } }),
    });
    expect(res.status).toBe(201);
    await expect.poll(() => (existsSync(outbox) ? readdirSync(outbox).length : 0), { timeout: 15_000 }).toBe(1);
    expect(readFileSync(join(outbox, readdirSync(outbox)[0]!), "utf8")).toContain("admin@bundle.test");
  });

  it("starts the reminder sweep's thread from build/reminder-thread.js beside it", async () => {
    const env = parseEnv(nodeEnvSchema, { DATA_DIR: dataDir, LOG: "silent", JWT_SECRET: SECRET });
    const worker = new Worker(join(NODE_BUILD_DIR, "reminder-thread.js"), { workerData: { env, options: { mail: "discard" } }, stdout: true, stderr: true });
    try {
      const first = await new Promise<{ type: string }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`thread exited (${code})`)));
      });
      expect(first.type).toBe("ready");
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
