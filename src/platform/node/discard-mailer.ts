import type { Mailer, MailMessage } from "../ports.js";

/**
 * Mail counted sent and sent nowhere, for timing planning and composing without SMTP (bench part 9).
 * Each letter is read as a sender would: a digest's text and HTML are written when first read (compose.ts).
 */
export const discardMailer: Mailer = {
  send: async (m: MailMessage) => {
    void (m.text.length + (m.html?.length ?? 0));
    return { messageId: "" };
  },
};
