import type { Logger, Mailer } from "../ports.js";

/**
 * Until the reminders issue brings SMTP to the Worker (worker-mailer), a message is logged with
 * its recipient and subject only; invitations still carry their link in the API response.
 */
export function logMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      const messageId = `<${crypto.randomUUID()}@qingdan.worker>`;
      logger.info({ msg: "mail not sent: no transport on Workers yet", to: message.to, subject: message.subject, messageId });
      return { messageId };
    },
  };
}
