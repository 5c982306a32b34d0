import nodemailer from "nodemailer";
import type { Mailer } from "../ports.js";

/** SMTP through nodemailer: `smtp://user:pass@relay:587` (STARTTLS) or `smtps://…:465`. */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      const { "Message-ID": messageId, ...headers } = message.headers ?? {};
      const info = await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers, messageId });
      return { messageId: info.messageId };
    },
  };
}
