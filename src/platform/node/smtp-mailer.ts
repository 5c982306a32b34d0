import { parseConnectionUrl } from "nodemailer/lib/shared";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import type { Mailer, MailMessage, MailSession } from "../ports.js";
import { buildMime, parseFrom } from "./mime.js";

/** Connections a mailer keeps open at most; a session holds one while it sends. */
const MAX_CONNECTIONS = 5;
/** An idle connection is closed after this long (a relay drops idle clients anyway; between sweeps none is held). */
const IDLE_MS = 30_000;
/** Replies slower than this fail the message and drop its connection (nodemailer's own default is 10 minutes). */
const SOCKET_TIMEOUT_MS = 60_000;

type Options = ConstructorParameters<typeof SMTPConnection>[0] & { auth?: { user: string; pass: string } };
type Envelope = { from: string; to: string[] };

/** The server refused this message (envelope or content); the connection itself is still good. */
const refusedMessage = (error: { code?: string; responseCode?: number }) => (error.code === "EENVELOPE" || error.code === "EMESSAGE") && error.responseCode !== 421;

/**
 * One SMTP connection (nodemailer's SMTPConnection: TLS, STARTTLS, AUTH, PIPELINING of the envelope,
 * dot-stuffing), sending one message at a time. A message the server refuses leaves the connection
 * usable (RSET); anything else (timeout, 421, a dropped socket) ends it.
 */
class Connection {
  private readonly smtp: SMTPConnection;
  /** What the next message waits for: the handshake, or the RSET after a refused message. */
  private ready: Promise<void>;
  alive = true;
  /** Messages it carried: a reused connection may have been dropped by the relay while idle. */
  sent = 0;
  idle?: ReturnType<typeof setTimeout>;

  constructor(options: Options) {
    this.smtp = new SMTPConnection({ ...options, socketTimeout: options.socketTimeout ?? SOCKET_TIMEOUT_MS });
    this.ready = new Promise<void>((resolve, reject) => {
      // Before the handshake is done a failure comes only as an event; after it, it also reaches the
      // callback of the message in flight (and without a listener an EventEmitter would throw).
      this.smtp.on("error", (error) => ((this.alive = false), reject(error)));
      this.smtp.on("end", () => ((this.alive = false), reject(Object.assign(new Error("Connection closed"), { code: "ECONNECTION" }))));
      this.smtp.connect((error) => {
        if (error) return reject(error);
        if (!options.auth) return resolve();
        this.smtp.login({ credentials: options.auth } as never, (loginError) => (loginError ? reject(loginError) : resolve()));
      });
    }).catch((error: unknown) => {
      this.close();
      throw error;
    });
  }

  async send(envelope: Envelope, raw: string): Promise<void> {
    await this.ready;
    await new Promise<void>((resolve, reject) => {
      this.smtp.send(envelope, this.corked(raw), (error) => {
        if (!error) {
          this.sent++;
          return resolve();
        }
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
    return this;
  }

  close() {
    clearTimeout(this.idle);
    // A live connection says QUIT; a broken one is just closed.
    if (this.alive) this.smtp.quit();
    else this.smtp.close();
    this.alive = false;
  }
}

/**
 * SMTP on Node: `smtp://user:pass@relay:587` (STARTTLS when offered) or `smtps://…:465`, query options as
 * nodemailer reads them. Messages go as one prebuilt MIME buffer (mime.ts) straight to nodemailer's
 * SMTPConnection: its Mail/composer/pool layers cost 60% of an email's CPU (streams, plugins, a
 * setImmediate per release; issue 19, ADR 0027). Connections are kept open across messages with no
 * message cap (nodemailer's pool closed one every 100, maxMessages), up to MAX_CONNECTIONS, closed
 * after IDLE_MS unused. A session (deliverAll: one tenant's morning) holds one connection for its sends.
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
   * Sends on `held.c`. A connection reused after idling that turns out dropped by the relay is replaced
   * once (`held.c` becomes the new one); a refused message or a failing fresh connection is the caller's failure.
   */
  const sendOn = async (held: { c: Connection }, message: MailMessage): Promise<{ messageId: string }> => {
    const { messageId, raw, envelope } = prepare(message);
    try {
      await held.c.send(envelope, raw);
    } catch (error) {
      const dropped = !held.c.alive && held.c.sent > 0 && !refusedMessage(error as { code?: string });
      if (!dropped) throw error;
      release(held.c);
      held.c = await acquire();
      await held.c.send(envelope, raw);
    }
    return { messageId };
  };

  return {
    async send(message) {
      const held = { c: await acquire() };
      try {
        return await sendOn(held, message);
      } finally {
        release(held.c);
      }
    },
    async openSession(): Promise<MailSession> {
      let held: { c: Connection } | null = null;
      // One message at a time on the session's connection, whoever calls.
      let chain: Promise<unknown> = Promise.resolve();
      return {
        send(message) {
          const result = chain.then(async () => {
            if (held && !held.c.alive) {
              release(held.c);
              held = null;
            }
            held ??= { c: await acquire() };
            return sendOn(held, message);
          });
          chain = result.catch(() => {});
          return result;
        },
        async close() {
          await chain;
          if (held) release(held.c);
          held = null;
        },
      };
    },
    close() {
      for (const c of idle.splice(0)) c.close();
      open = 0;
    },
  };
}
