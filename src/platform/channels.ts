import type { Mailer, NotificationChannel, Ports, Recipient } from "./ports.js";

/** Email through the configured Mailer (SMTP or the outbox): reaches whoever has an address. */
export function emailChannel(mailer: Mailer): NotificationChannel {
  return {
    name: "email",
    reaches: (r) => Boolean(r.email),
    async send(r, notice) {
      await mailer.send({ ...notice, to: r.email! });
    },
  };
}

export const channelsOf = (ports: Pick<Ports, "mailer" | "channels">): NotificationChannel[] => [emailChannel(ports.mailer), ...(ports.channels ?? [])];

/** The first channel that reaches the person, or none: then the admin hands over the link (or its QR code). */
export const channelFor = (channels: NotificationChannel[], recipient: Recipient) => channels.find((ch) => ch.reaches(recipient));
