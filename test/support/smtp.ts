import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail["headers"];
  /** Headers as sent (lower-case names): mailparser restructures some, such as List-*. */
  raw: Record<string, string>;
  messageId: string | undefined;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that parses what it receives (mailparser). `rejectNext`
 * refuses the next deliveries to an address with a 451, as a flaky relay would; `dropAt` takes in the next
 * message to an address and then drops the connection without answering, as a relay that crashed would.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const rejections = new Map<string, number>();
  const drops = new Set<string>();
  const dropped: { to: string; messageId: string | undefined }[] = [];
  const server = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const left = rejections.get(address.address) ?? 0;
      if (left > 0) {
        rejections.set(address.address, left - 1);
        return callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      if (drops.delete(session.envelope.rcptTo[0]?.address ?? "")) {
        void simpleParser(stream).then((mail) => {
          dropped.push({ to: session.envelope.rcptTo[0]!.address, messageId: mail.messageId });
          for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) if (c.id === session.id) c._socket.destroy();
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          received.push({ to: to?.value[0]?.address ?? "", subject: mail.subject ?? "", text: mail.text ?? "", html: typeof mail.html === "string" ? mail.html : "", headers: mail.headers, raw: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()])), messageId: mail.messageId });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Messages taken in by `dropAt` and never acknowledged. */
    dropped,
    rejectNext: (address: string, times = 1) => rejections.set(address, times),
    dropAt: (address: string) => drops.add(address),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
