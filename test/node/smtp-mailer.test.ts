import { createServer, type Server, type Socket } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { smtpMailer } from "../../src/platform/node/smtp-mailer.js";

/** A real smtp-server that keeps what it accepts and counts connections; `options` add refusals and limits. */
async function relay(options: Partial<SMTPServerOptions> = {}) {
  const received: { to: string; text: string; subject: string; messageId: string | undefined }[] = [];
  let connections = 0;
  const server = new SMTPServer({
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    disableReverseLookup: true,
    onConnect: (_s, cb) => (connections++, cb()),
    onData(stream, session, cb) {
      simpleParser(stream).then((mail) => {
        received.push({ to: session.envelope.rcptTo[0]!.address, text: mail.text ?? "", subject: mail.subject ?? "", messageId: mail.messageId });
        cb();
      }, cb);
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${port}`, port, received, connections: () => connections };
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const FROM = "清单工作台 <noreply@qingdan.test>";
const message = (to: string, i = 0) => ({ to, subject: `今日待办 ${i} 项`, text: `第 ${i} 封\n.\n..两个点开头的一行\n`, html: `<p>第 ${i} 封</p>` });

function mailerOn(url: string) {
  const mailer = smtpMailer(url, FROM);
  closers.push(() => mailer.close());
  return mailer;
}

describe("the Node SMTP mailer (nodemailer's SMTPConnection, connections kept)", () => {
  it("sends 250 messages of a session over one connection, text intact (dot-stuffed lines included)", async () => {
    const smtp = await relay();
    const mailer = mailerOn(smtp.url);
    const session = await mailer.openSession!();
    const ids = [];
    for (let i = 0; i < 250; i++) ids.push((await session.send({ ...message(`m${i}@example.cn`, i), headers: { "Message-ID": `<k${i}@qingdan>` } })).messageId);
    await session.close();
    expect(smtp.received).toHaveLength(250);
    expect(smtp.connections()).toBe(1);
    expect(ids[7]).toBe("<k7@qingdan>");
    expect(smtp.received[7]).toMatchObject({ to: "m7@example.cn", subject: "今日待办 7 项", text: "第 7 封\n.\n..两个点开头的一行\n", messageId: "<k7@qingdan>" });
    // The connection is kept for the next session and for single sends.
    await mailer.send(message("again@example.cn"));
    expect(smtp.connections()).toBe(1);
  });

  it("fails only the refused message (a 451 recipient, a 554 at the end of DATA) and goes on over the same connection", async () => {
    const smtp = await relay({
      onRcptTo: (address, _s, cb) => (address.address.startsWith("busy") ? cb(Object.assign(new Error("Try again later"), { responseCode: 451 })) : cb()),
      onData(stream, session, cb) {
        stream.resume();
        stream.on("end", () => (session.envelope.rcptTo[0]!.address.startsWith("spam") ? cb(Object.assign(new Error("Rejected as spam"), { responseCode: 554 })) : cb()));
      },
    });
    const mailer = mailerOn(smtp.url);
    const session = await mailer.openSession!();
    const results = await Promise.allSettled(["a@x.cn", "busy@x.cn", "b@x.cn", "spam@x.cn", "c@x.cn"].map((to) => session.send(message(to))));
    await session.close();
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/451/);
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/554/);
    expect(smtp.connections()).toBe(1);
  });

  it("reconnects when the relay dropped an idle connection, and fails nothing for it", async () => {
    const smtp = await relay({ socketTimeout: 300 });
    const mailer = mailerOn(smtp.url);
    await mailer.send(message("first@x.cn"));
    await new Promise((r) => setTimeout(r, 600));
    await mailer.send(message("second@x.cn"));
    expect(smtp.received.map((m) => m.to)).toEqual(["first@x.cn", "second@x.cn"]);
    expect(smtp.connections()).toBe(2);
  });

  it("times out on a relay that never greets, and on one that stops answering after EHLO", async () => {
    const silent = async (afterEhlo: boolean) => {
      const sockets: Socket[] = [];
      const server: Server = createServer((socket) => {
        sockets.push(socket);
        if (!afterEhlo) return;
        socket.write("220 silent ESMTP\r\n");
        socket.once("data", () => socket.write("250-silent\r\n250 PIPELINING\r\n"));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      closers.push(() => new Promise<void>((resolve) => (sockets.forEach((c) => c.destroy()), server.close(() => resolve()))));
      return (server.address() as { port: number }).port;
    };
    for (const afterEhlo of [false, true]) {
      const started = Date.now();
      const mailer = mailerOn(`smtp://127.0.0.1:${await silent(afterEhlo)}?socketTimeout=400&greetingTimeout=400`);
      await expect(mailer.send(message("x@x.cn"))).rejects.toThrow(/timeout|timed out/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it("fails a send to a relay that is not there without holding its slot: the next sends connect once it is", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const mailer = mailerOn(`smtp://127.0.0.1:${port}`);
    // More failures than the mailer has connection slots.
    const failed = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => mailer.send(message(`n${i}@x.cn`))));
    expect(failed.every((r) => r.status === "rejected")).toBe(true);
    const smtp = await relayOn(port);
    await Promise.all(Array.from({ length: 7 }, (_, i) => mailer.send(message(`y${i}@x.cn`))));
    expect(smtp.received).toHaveLength(7);
    mailer.close(); // before the relay, which otherwise waits for its clients to leave
  });
});

/** The relay on a given port (the one the mailer failed to reach). */
async function relayOn(port: number) {
  const received: string[] = [];
  const server = new SMTPServer({ disabledCommands: ["AUTH", "STARTTLS"], logger: false, disableReverseLookup: true, onData: (s, session, cb) => (s.resume(), s.on("end", () => (received.push(session.envelope.rcptTo[0]!.address), cb()))) });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { received };
}
