import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import nodemailer from "nodemailer";
import type { Mailer } from "../ports.js";

/**
 * Writes each message as an .eml file instead of sending it: the default for `npm start`, so a
 * person can open what would have gone out. Built by nodemailer, so the file is the real message.
 */
export function outboxMailer(dir: string, from: string): Mailer {
  mkdirSync(dir, { recursive: true });
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${info.messageId.replace(/[^A-Za-z0-9]/g, "").slice(0, 24)}.eml`;
      writeFileSync(resolve(dir, name), info.message as Buffer);
      return { messageId: info.messageId };
    },
  };
}
