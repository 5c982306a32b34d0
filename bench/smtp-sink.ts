// A local SMTP server that counts what it receives, in a process of its own (forked, like the server
// child), so the sweep under test keeps its core: smtp-server speaking real SMTP on 127.0.0.1, each
// message's header block read for its Message-ID and the envelope for its recipient, the rest of the
// body drained. test/support/smtp.ts parses every message with mailparser and keeps it in memory —
// right for asserting on content, but for 200,000 digests it would measure mailparser and hold GBs.
// Run as a child with --smtp-sink-child; startSmtpSink() in the bench process talks to it over IPC.
import { childChannel } from "./child-ipc.js";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

export interface SinkStats {
  /** SMTP connections opened to the sink (a pool that reconnects every 100 messages shows here). */
  connections: number;
  /** The sink process's CPU (utime + stime) since it started, µs. */
  cpuMicros: number;
  /** Messages accepted (end of DATA answered 250). */
  messages: number;
  /** Distinct Message-ID headers among them. */
  uniqueMessageIds: number;
  /** Messages whose Message-ID had been seen before. */
  duplicateMessageIds: number;
  /** Distinct envelope recipients. */
  recipients: number;
  /** Recipients that received more than one message. */
  recipientsWithMore: number;
  bytes: number;
  /** Messages without a Message-ID header. */
  withoutMessageId: number;
}

type SinkMessage = { type: "ready"; port: number } | { type: "stats"; stats: SinkStats };

const cpuMicros = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

function runChild() {
  const ids = new Set<string>();
  const perRecipient = new Map<string, number>();
  const stats: SinkStats = { connections: 0, cpuMicros: 0, messages: 0, uniqueMessageIds: 0, duplicateMessageIds: 0, recipients: 0, recipientsWithMore: 0, bytes: 0, withoutMessageId: 0 };
  const server = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    // A relay would not resolve 127.0.0.1 for every connection; smtp-server does by default.
    disableReverseLookup: true,
    onConnect(_session, callback) {
      stats.connections++;
      callback();
    },
    onData(stream, session, callback) {
      let head = "";
      let headDone = false;
      let bytes = 0;
      stream.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (headDone) return;
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end >= 0) {
          head = head.slice(0, end);
          headDone = true;
        }
      });
      stream.on("end", () => {
        const id = /^message-id:\s*(\S+)/im.exec(head)?.[1];
        stats.messages++;
        stats.bytes += bytes;
        if (!id) stats.withoutMessageId++;
        else if (ids.has(id)) stats.duplicateMessageIds++;
        else ids.add(id);
        for (const rcpt of session.envelope.rcptTo) {
          const n = (perRecipient.get(rcpt.address) ?? 0) + 1;
          perRecipient.set(rcpt.address, n);
          if (n === 2) stats.recipientsWithMore++;
        }
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1", () => {
    const port = (server.server.address() as { port: number }).port;
    process.send?.({ type: "ready", port } satisfies SinkMessage);
  });
  process.on("message", (m: { type: string }) => {
    if (m.type === "stats") process.send?.({ type: "stats", stats: { ...stats, cpuMicros: cpuMicros(), uniqueMessageIds: ids.size, recipients: perRecipient.size } } satisfies SinkMessage);
    if (m.type === "close") server.close(() => process.exit(0));
  });
  // A bench that died (a failed part, Ctrl-C) leaves no relay behind: the IPC channel closes with it.
  process.on("disconnect", () => process.exit(0));
}

export interface SmtpSink {
  url: string;
  pid: number;
  stats(): Promise<SinkStats>;
  close(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function startSmtpSink(): Promise<SmtpSink> {
  const child = fork(SELF, ["--smtp-sink-child"], { cwd: ROOT, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const channel = childChannel<SinkMessage>(child, "SMTP sink");
  const ready = await channel.next("ready");
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    stats: async () => (await channel.request("stats")).stats,
    close: channel.close,
  };
}

if (process.argv.includes("--smtp-sink-child")) runChild();
