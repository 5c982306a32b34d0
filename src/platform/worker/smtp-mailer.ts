import { LogLevel, WorkerMailer } from "worker-mailer";
import type { Mailer } from "../ports.js";

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
  return {
    async send(message) {
      await WorkerMailer.send(
        { host: options.host, port: options.port, secure: options.secure, startTls: options.startTls, ...(options.username ? { credentials: { username: options.username, password: options.password ?? "" } } : {}), authType: "plain", logLevel: LogLevel.WARN },
        { from: parseAddress(options.from), to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers },
      );
      return { messageId: message.headers?.["Message-ID"] ?? "" };
    },
  };
}
