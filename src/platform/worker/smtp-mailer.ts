import { LogLevel, WorkerMailer } from "worker-mailer";
import type { MailMessage, Mailer } from "../ports.js";

export interface WorkerSmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (465). */
  secure: boolean;
  /** Upgrade with STARTTLS (587). */
  startTls: boolean;
  username?: string;
  password?: string;
  from: string;
}

/** worker-mailer wants `{name, email}`, not the `Name <address>` form the configuration uses. */
export function parseAddress(from: string): { name?: string; email: string } {
  const m = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return m ? { ...(m[1] ? { name: m[1].replace(/^"|"$/g, "") } : {}), email: m[2]! } : { email: from.trim() };
}

/** SMTP from a Worker over `cloudflare:sockets` (worker-mailer). Production Workers cannot use port 25: use a relay on 587 or 465. */
export function workerSmtpMailer(options: WorkerSmtpOptions): Mailer {
  const connection = { host: options.host, port: options.port, secure: options.secure, startTls: options.startTls, ...(options.username ? { credentials: { username: options.username, password: options.password ?? "" } } : {}), authType: "plain" as const, logLevel: LogLevel.WARN };
  const email = (message: MailMessage) => ({ from: parseAddress(options.from), to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
  return {
    async send(message) {
      await WorkerMailer.send(connection, email(message));
      return { messageId: message.headers?.["Message-ID"] ?? "" };
    },
    // One SMTP conversation for a tenant's morning: a connection per email would spend a subrequest each.
    async openSession() {
      let mailer: WorkerMailer | undefined;
      return {
        async send(message) {
          try {
            mailer ??= await WorkerMailer.connect(connection);
            await mailer.send(email(message));
          } catch (error) {
            // A broken conversation is not reused: the next email opens a fresh one.
            await mailer?.close().catch(() => {});
            mailer = undefined;
            throw error;
          }
          return { messageId: message.headers?.["Message-ID"] ?? "" };
        },
        async close() {
          await mailer?.close().catch(() => {});
        },
      };
    },
  };
}
