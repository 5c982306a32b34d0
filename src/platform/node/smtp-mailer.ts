import { parseConnectionUrl } from "nodemailer/lib/shared";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import type { Mailer, MailMessage, MailSession } from "../ports.js";
import { buildMime, parseFrom } from "./mime.js";
import { type Envelope, Pipeline, type SmtpError, smtpError } from "./smtp-pipeline.js";

/** Connections a mailer keeps open at most; a session holds one while it sends. */
const MAX_CONNECTIONS = 5;
/** An idle connection is closed after this long (a relay drops idle clients anyway; between sweeps none is held). */
const IDLE_MS = 30_000;
/** Replies slower than this fail the message and drop its connection (nodemailer's own default is 10 minutes). */
const SOCKET_TIMEOUT_MS = 60_000;
/**
 * Messages a session takes before their outcomes: enough that the pipeline never waits for the caller
 * (one is on the wire, the rest queued, MIME built), few enough that a tenant of thousands is not all in memory.
 */
const SESSION_WINDOW = 32;

type Options = ConstructorParameters<typeof SMTPConnection>[0] & { auth?: { user: string; pass: string } };
/** What SMTPConnection keeps to itself: the extensions EHLO listed, and the socket listener it reads replies with. */
type Internals = { _supportedExtensions: string[]; _onSocketData: (chunk: Buffer) => void };

/** The server refused this message (envelope or content); the connection itself is still good. */
const refusedMessage = (error: { code?: string; responseCode?: number }) => (error.code === "EENVELOPE" || error.code === "EMESSAGE") && error.responseCode !== 421;

/**
 * One SMTP connection. nodemailer's SMTPConnection connects and does TLS, STARTTLS, EHLO and AUTH; when
 * the server then offers PIPELINING its socket goes to a Pipeline (smtp-pipeline.ts), which takes every
 * message handed to it at once, content and next envelope in one write. Otherwise SMTPConnection sends
 * one message at a time as before. A message the server refuses leaves the connection usable; anything
 * else (timeout, 421, a dropped socket) ends it and fails what it had not acknowledged.
 */
class Connection {
  private readonly smtp: SMTPConnection;
  /** What the next message waits for: the handshake, or (without PIPELINING) the RSET after a refused message. */
  private ready: Promise<void>;
  private pipeline?: Pipeline;
  /** Without PIPELINING, one message after the other. */
  private turn: Promise<unknown> = Promise.resolve();
  alive = true;
  /** Messages it carried: a reused connection may have been dropped by the relay while idle. */
  sent = 0;
  /** The pipeline's replies when the pool handed it out again. */
  private repliesWhenTaken = 0;
  idle?: ReturnType<typeof setTimeout>;

  constructor(options: Options) {
    this.smtp = new SMTPConnection({ ...options, socketTimeout: options.socketTimeout ?? SOCKET_TIMEOUT_MS });
    this.ready = new Promise<void>((resolve, reject) => {
      // Before the handshake is done a failure comes only as an event; after it, it also reaches the
      // callback of the message in flight (and without a listener an EventEmitter would throw).
      this.smtp.on("error", (error) => (this.lost(error as SmtpError), reject(error)));
      this.smtp.on("end", () => {
        const error = smtpError("Connection closed", "ECONNECTION");
        this.lost(error);
        reject(error);
      });
      const handshaken = () => (this.takeOver(), resolve());
      this.smtp.connect((error) => {
        if (error) return reject(error);
        if (!options.auth) return handshaken();
        this.smtp.login({ credentials: options.auth } as never, (loginError) => (loginError ? reject(loginError) : handshaken()));
      });
    }).catch((error: unknown) => {
      this.close();
      throw error;
    });
  }

  /** After the handshake: replies are read by the pipeline, not by SMTPConnection, when the server pipelines. */
  private takeOver() {
    const internals = this.smtp as unknown as Internals;
    const socket = this.smtp._socket;
    if (!socket || !internals._supportedExtensions.includes("PIPELINING")) return;
    socket.removeListener("data", internals._onSocketData);
    this.pipeline = new Pipeline(socket, internals._supportedExtensions.includes("SMTPUTF8"), (error) => (this.lost(error), this.close()));
  }

  private lost(error: SmtpError) {
    this.alive = false;
    this.pipeline?.fail(error);
  }

  send(envelope: Envelope, raw: string): Promise<void> {
    const sending = this.ready.then(() => {
      if (this.pipeline) return this.pipeline.send(envelope, raw);
      const turn = this.turn.then(() => this.sendAlone(envelope, raw));
      this.turn = turn.catch(() => {});
      return turn;
    });
    return sending.then(() => void this.sent++);
  }

  /** The relay dropped it while it idled in the pool: it answered nothing since, so nothing handed to it was taken. */
  droppedWhileIdle(error: unknown) {
    if (this.alive || this.sent === 0) return false;
    return this.pipeline ? this.pipeline.replies === this.repliesWhenTaken : !refusedMessage(error as SmtpError);
  }

  private async sendAlone(envelope: Envelope, raw: string): Promise<void> {
    await this.ready;
    await new Promise<void>((resolve, reject) => {
      this.smtp.send(envelope, this.corked(raw), (error) => {
        if (!error) return resolve();
        // The next message goes only after the RSET's answer: a reply must not be taken for the wrong command.
        if (refusedMessage(error) && this.alive) this.ready = new Promise<void>((done) => this.smtp.reset((resetError) => (resetError && this.close(), done())));
        else this.close();
        reject(error);
      });
    });
  }

  /**
   * The message handed over as something to pipe: nodemailer writes it through its dot-stuffing stream
   * and then the terminating ".", two socket writes; corked until the next turn they leave as one
   * (≈14 % less CPU an email here, and ≈10 % less in the relay: one segment to read instead of two).
   */
  private corked(raw: string) {
    const smtp = this.smtp;
    return {
      // Called on the server's 354, when the socket is the session's (TLS, if STARTTLS upgraded it).
      pipe(into: NodeJS.WritableStream) {
        const socket = smtp._socket;
        if (socket) socket.cork();
        into.write(raw);
        into.end();
        if (socket) setImmediate(() => socket.uncork());
        return into;
      },
    } as never;
  }

  /** An idle connection does not keep the process alive (a script that sent its mail can end). */
  hold(busy: boolean) {
    const socket = this.smtp._socket;
    if (socket) (busy ? socket.ref() : socket.unref());
    if (busy) this.repliesWhenTaken = this.pipeline?.replies ?? 0;
    return this;
  }

  close() {
    clearTimeout(this.idle);
    if (this.pipeline) {
      // Nothing reads replies any more: QUIT goes out and the socket is ended after it.
      const socket = this.smtp._socket;
      if (this.alive && socket && !socket.destroyed) socket.write("QUIT\r\n");
      this.pipeline.fail(smtpError("Connection closed", "ECONNECTION"));
      this.smtp.close();
    } else if (this.alive) this.smtp.quit();
    // A live connection says QUIT; a broken one is just closed.
    else this.smtp.close();
    this.alive = false;
  }
}

/**
 * SMTP on Node: `smtp://user:pass@relay:587` (STARTTLS when offered) or `smtps://…:465`, query options as
 * nodemailer reads them. Messages go as one prebuilt MIME string (mime.ts) over nodemailer's
 * SMTPConnection, pipelined once it has done the handshake (smtp-pipeline.ts): its Mail/composer/pool
 * layers cost 60% of an email's CPU, and two writes a message most of the rest (issue 19, ADR 0027).
 * Connections are kept open across messages with no message cap (nodemailer's pool closed one every
 * 100, maxMessages), up to MAX_CONNECTIONS, closed after IDLE_MS unused. A session (deliverAll: one
 * tenant's morning) holds one connection and takes up to SESSION_WINDOW sends at once.
 */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const options = parseConnectionUrl(url) as Options;
  const sender = parseFrom(from);
  const domain = sender.address.split("@")[1] ?? "qingdan";
  const idle: Connection[] = [];
  const waiting: ((c: Connection | null) => void)[] = [];
  let open = 0;

  /** An idle live connection, a new one while below the cap, or the next one released. */
  const acquire = (): Promise<Connection> | Connection => {
    for (let c = idle.pop(); c; c = idle.pop()) {
      clearTimeout(c.idle);
      if (c.alive) return c.hold(true);
      open--;
    }
    if (open < MAX_CONNECTIONS) {
      open++;
      return new Connection(options);
    }
    return new Promise<Connection | null>((resolve) => waiting.push(resolve)).then((c) => c ?? acquire());
  };
  const release = (c: Connection) => {
    if (!c.alive) {
      open--;
      // A slot freed: whoever waits opens a new connection.
      waiting.shift()?.(null);
      return;
    }
    const next = waiting.shift();
    if (next) return next(c);
    c.idle = setTimeout(() => {
      idle.splice(idle.indexOf(c), 1);
      open--;
      c.close();
    }, IDLE_MS);
    c.idle.unref();
    idle.push(c.hold(false));
  };

  const prepare = (message: MailMessage) => {
    const messageId = message.headers?.["Message-ID"] ?? `<${crypto.randomUUID()}@${domain}>`;
    const raw = buildMime(sender.header, { ...message, headers: { ...message.headers, "Message-ID": messageId } });
    return { messageId, raw, envelope: { from: sender.address, to: [message.to] } };
  };

  /**
   * A connection taken from the pool for a while (one send, or a session: a tenant's morning). A dead one
   * goes back and another is taken, once, by whichever message in flight asks first.
   */
  const holder = () => {
    let held: Connection | null = null;
    let taking: Promise<Connection> | null = null;
    return {
      take(): Promise<Connection> {
        if (held && !held.alive) {
          release(held);
          held = null;
          taking = null;
        }
        return (taking ??= Promise.resolve(acquire()).then((c) => (held = c)));
      },
      release() {
        if (held) release(held);
        held = null;
        taking = null;
      },
    };
  };

  /** A message sent on the holder's connection; one the relay dropped while it idled is replaced, once (nothing on it was taken). */
  const sendWith = async (h: ReturnType<typeof holder>, message: MailMessage): Promise<{ messageId: string }> => {
    const { messageId, raw, envelope } = prepare(message);
    for (let again = true; ; again = false) {
      const c = await h.take();
      try {
        await c.send(envelope, raw);
        return { messageId };
      } catch (error) {
        if (!again || !c.droppedWhileIdle(error)) throw error;
      }
    }
  };

  return {
    async send(message) {
      const h = holder();
      try {
        return await sendWith(h, message);
      } finally {
        h.release();
      }
    },
    async openSession(): Promise<MailSession> {
      const h = holder();
      const inFlight = new Set<Promise<unknown>>();
      return {
        // Messages handed at once go out pipelined on the session's connection (one after the other without PIPELINING).
        window: SESSION_WINDOW,
        send(message) {
          const result = sendWith(h, message);
          const settled = result.then(
            () => {},
            () => {},
          );
          inFlight.add(settled);
          void settled.then(() => inFlight.delete(settled));
          return result;
        },
        async close() {
          await Promise.all(inFlight);
          h.release();
        },
      };
    },
    close() {
      for (const c of idle.splice(0)) c.close();
      open = 0;
    },
  };
}
