import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_BUILD_DIR } from "../../../scripts/build-node.mjs";
import { freePort } from "../../../tools/net/free-port.js";

export interface RunningApp {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}


/**
 * The app as `npm start` runs it (build/node.js under plain node; the console and the server
 * bundle already built by the e2e global setup): its own
 * temp DATA_DIR, mail to DATA_DIR/outbox, no reminder schedule.
 */
export async function startApp(): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "qingdan-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, PUBLIC_URL: url, REMINDERS: "off", LOG: "silent", JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123" };
  delete env.SMTP_URL; // mail goes to the outbox, where the journeys open it
  const child: ChildProcess = spawn(process.execPath, [join(NODE_BUILD_DIR, "node.js")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`app exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
