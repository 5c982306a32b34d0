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
  // What arrives from clients, read by read: a pipelining client sends a message's content and the next envelope as one.
  let reads = 0;
  server.server.on("connection", (socket: Socket) => socket.on("data", () => reads++));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  /** Ends the client's connection of this SMTP session at once, as a relay that crashed would. */
  const drop = (sessionId: string) => {
    for (const c of (server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections) if (c.id === sessionId) c._socket.destroy();
  };
  return { url: `smtp://127.0.0.1:${port}`, port, received, connections: () => connections, reads: () => reads, drop };
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
  it("pipelines what a session is handed: 200 messages, one read each at the relay, all arrive once and in order", async () => {
    const smtp = await relay();
    const mailer = mailerOn(smtp.url);
    const session = await mailer.openSession!();
    expect(session.window).toBeGreaterThan(1);
    const sent = await Promise.all(Array.from({ length: 200 }, (_, i) => session.send({ ...message(`p${i}@example.cn`, i), headers: { "Message-ID": `<p${i}@qingdan>` } })));
    await session.close();
    expect(sent.map((r) => r.messageId)).toEqual(Array.from({ length: 200 }, (_, i) => `<p${i}@qingdan>`));
    expect(smtp.received.map((m) => m.to)).toEqual(Array.from({ length: 200 }, (_, i) => `p${i}@example.cn`));
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(200);
    expect(smtp.received[199]).toMatchObject({ subject: "今日待办 199 项", text: "第 199 封\n.\n..两个点开头的一行\n" });
    // One at a time it takes two (the envelope, then the content after 354): pipelined, the content and the next envelope are one.
    expect(smtp.reads()).toBeLessThan(200 * 1.5);
    expect(smtp.connections()).toBe(1);
  });

  it("fails only the refused ones mid-window (a 451 recipient, a 550 sender, a 554 after the content) and the rest arrive in order", async () => {
    let mails = 0;
    const smtp = await relay({
      onMailFrom: (_a, _s, cb) => (++mails === 7 ? cb(Object.assign(new Error("Sender blocked"), { responseCode: 550 })) : cb()),
      onRcptTo: (address, _s, cb) => (address.address.startsWith("busy") ? cb(Object.assign(new Error("Try again later"), { responseCode: 451 })) : cb()),
      onData(stream, session, cb) {
        stream.resume();
        stream.on("end", () => {
          const to = session.envelope.rcptTo[0]!.address;
          if (to.startsWith("spam")) return cb(Object.assign(new Error("Rejected as spam"), { responseCode: 554 }));
          smtp.received.push({ to, text: "", subject: "", messageId: undefined });
          cb();
        });
      },
    });
    const mailer = mailerOn(smtp.url);
    const session = await mailer.openSession!();
    const to = Array.from({ length: 20 }, (_, i) => (i === 3 || i === 12 ? `busy${i}@x.cn` : i === 5 ? `spam${i}@x.cn` : `ok${i}@x.cn`));
    const results = await Promise.allSettled(to.map((address) => session.send(message(address))));
    await session.close();
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [[i, String(r.reason).match(/\b(451|550|554)\b/)?.[1]]] : []));
    // The 7th MAIL FROM is ok6's.
    expect(failed).toEqual([
      [3, "451"],
      [5, "554"],
      [6, "550"],
      [12, "451"],
    ]);
    expect(smtp.received.map((m) => m.to)).toEqual(to.filter((_, i) => ![3, 5, 6, 12].includes(i)));
    expect(smtp.connections()).toBe(1);
  });

  it("fails what the relay had not acknowledged when it drops the connection mid-window; a later session sends those once", async () => {
    let dropAt: string | null = "m10@x.cn";
    const smtp = await relay({
      onData(stream, session, cb) {
        stream.resume();
        stream.on("end", () => {
          const to = session.envelope.rcptTo[0]!.address;
          if (to === dropAt) return smtp.drop(session.id); // taken in, never acknowledged
          smtp.received.push({ to, text: "", subject: "", messageId: undefined });
          cb();
        });
      },
    });
    const mailer = mailerOn(smtp.url);
    const all = Array.from({ length: 30 }, (_, i) => ({ ...message(`m${i}@x.cn`, i), headers: { "Message-ID": `<m${i}@qingdan>` } }));
    const first = await mailer.openSession!();
    const results = await Promise.allSettled(all.map((m) => first.send(m)));
    await first.close();
    expect(results.map((r) => r.status)).toEqual(all.map((_, i) => (i < 10 ? "fulfilled" : "rejected")));
    expect(String((results[10] as PromiseRejectedResult).reason)).toMatch(/closed|ECONNRESET|socket/i);
    expect(smtp.received.map((m) => m.to)).toEqual(all.slice(0, 10).map((m) => m.to));
    // The next run resends exactly the unacknowledged, same Message-IDs, on a new connection.
    dropAt = null;
    const second = await mailer.openSession!();
    await Promise.all(all.slice(10).map((m) => second.send(m)));
    await second.close();
    expect(smtp.received.map((m) => m.to)).toEqual(all.map((m) => m.to));
    expect(smtp.connections()).toBe(2);
  });

  it("takes a 421 mid-window as the end of the connection: that message and the unacknowledged ones fail, nothing hangs", async () => {
    let shuttingDown = true;
    const smtp = await relay({
      onData(stream, session, cb) {
        stream.resume();
        stream.on("end", () => {
          const to = session.envelope.rcptTo[0]!.address;
          if (to === "c3@x.cn" && shuttingDown) return (shuttingDown = false), cb(Object.assign(new Error("Shutting down"), { responseCode: 421 }));
          smtp.received.push({ to, text: "", subject: "", messageId: undefined });
          cb();
        });
      },
    });
    const mailer = mailerOn(smtp.url);
    const session = await mailer.openSession!();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => session.send(message(`c${i}@x.cn`, i))));
    await session.close();
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 10 }, (_, i) => (i < 3 ? "fulfilled" : "rejected")));
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/421/);
    expect(smtp.received.map((m) => m.to)).toEqual(["c0@x.cn", "c1@x.cn", "c2@x.cn"]);
    // The mailer itself goes on, on a new connection.
    await mailer.send(message("c3@x.cn"));
    expect(smtp.connections()).toBe(2);
  });

  it("sends one message at a time to a relay without PIPELINING, refusals failing alone", async () => {
    const smtp = await relay({ hidePIPELINING: true, onRcptTo: (address, _s, cb) => (address.address.startsWith("busy") ? cb(Object.assign(new Error("Try again later"), { responseCode: 451 })) : cb()) });
    const mailer = mailerOn(smtp.url);
    const session = await mailer.openSession!();
    const to = Array.from({ length: 12 }, (_, i) => (i === 4 ? `busy${i}@x.cn` : `n${i}@x.cn`));
    const results = await Promise.allSettled(to.map((address, i) => session.send(message(address, i))));
    await session.close();
    expect(results.map((r) => r.status)).toEqual(to.map((_, i) => (i === 4 ? "rejected" : "fulfilled")));
    expect(smtp.received.map((m) => m.to)).toEqual(to.filter((_, i) => i !== 4));
    expect(smtp.received.at(-1)!.text).toBe("第 11 封\n.\n..两个点开头的一行\n");
    // Without pipelining: the envelope, then the content after 354 — at least two reads a message.
    expect(smtp.reads()).toBeGreaterThanOrEqual(11 * 2);
  });

  it("pipelines after STARTTLS and AUTH, and refuses to send with wrong credentials", async () => {
    const smtp = await relay({
      disabledCommands: [],
      authMethods: ["PLAIN", "LOGIN"],
      onAuth: (auth, _s, cb) => (auth.username === "qingdan" && auth.password === "密码 secret" ? cb(null, { user: auth.username }) : cb(new Error("Invalid username or password"))),
    });
    const url = (user: string) => `smtp://${user}:${encodeURIComponent("密码 secret")}@127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false&requireTLS=true`;
    const mailer = mailerOn(url("qingdan"));
    const session = await mailer.openSession!();
    await Promise.all(Array.from({ length: 40 }, (_, i) => session.send(message(`t${i}@x.cn`, i))));
    await session.close();
    expect(smtp.received.map((m) => m.to)).toEqual(Array.from({ length: 40 }, (_, i) => `t${i}@x.cn`));
    expect(smtp.received[39]!.text).toBe("第 39 封\n.\n..两个点开头的一行\n");
    await expect(mailerOn(url("intruder")).send(message("no@x.cn"))).rejects.toThrow(/535|Invalid/);
    expect(smtp.received).toHaveLength(40);
  });

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
