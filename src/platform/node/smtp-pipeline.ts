import type { Socket } from "node:net";

export type Envelope = { from: string; to: string[] };
export type SmtpError = Error & { code: string; response?: string; responseCode?: number; command?: string };

/** An error shaped as nodemailer's: `code` says which kind (EENVELOPE, EMESSAGE, ECONNECTION…), the reply rides in the message. */
export const smtpError = (message: string, code: string, response?: string, command?: string): SmtpError => {
  const responseCode = response ? Number(response.slice(0, 3)) || undefined : undefined;
  return Object.assign(new Error(response ? `${message}: ${response}` : message), { code, response, responseCode, command });
};

interface Job {
  envelope: string;
  content: string;
  recipients: number;
  accepted: number;
  /** Why the message is refused once its DATA reply is in (its MAIL or every RCPT refused). */
  refused?: SmtpError;
  done(error?: SmtpError): void;
}
type Step = { job: Job; kind: "MAIL FROM" | "RCPT TO" | "DATA" | "END" | "RSET" };

/** A reply longer than this is not SMTP (nodemailer caps it too): the connection is dropped. */
const MAX_REPLY = 64 * 1024;
const ENDS_WELL = /\r\n$/;
/** Anything to rewrite: a bare CR or LF, or a line starting with a dot. */
const NEEDS_STUFFING = /\r(?!\n)|(?<!\r)\n|(?:^|\n)\./;

/** The content as DATA carries it: CRLF line ends, leading dots doubled (RFC 5321 4.5.2), the terminating dot. */
export function dataOf(raw: string): string {
  const text = NEEDS_STUFFING.test(raw) ? raw.replace(/\r\n|\r|\n/g, "\r\n").replace(/(^|\r\n)\./g, "$1..") : raw;
  return ENDS_WELL.test(text) ? `${text}.\r\n` : `${text}\r\n.\r\n`;
}

/**
 * Messages over one SMTP connection with PIPELINING (RFC 2920), after nodemailer's SMTPConnection did the
 * handshake (TLS, STARTTLS, EHLO, AUTH) and handed its socket over. DATA must end a pipelined group and
 * the content wait for its 354, so each message's content leaves in one write with the NEXT message's
 * MAIL, RCPT and DATA: one write and one round trip a message instead of two of each (issue 19, ADR 0027).
 *
 * Replies come in the order of the commands, so a FIFO of expected steps tells whose each one is. A
 * refused MAIL, RCPT or DATA fails that message alone (RSET goes with the next envelope); a refused
 * content (4xx/5xx after the dot) too. A 421, a dropped socket or a timeout fails every message whose
 * final 250 has not arrived: those were never reported sent, so a later run resends them.
 */
export class Pipeline {
  private readonly steps: Step[] = [];
  private readonly waiting: Job[] = [];
  /** An envelope is out whose DATA reply has not come: the next one waits for it. */
  private open = false;
  private rest = "";
  private lines = "";
  private broken: SmtpError | null = null;
  /** Replies received: none since a reused connection was taken means the relay dropped it while idle. */
  replies = 0;

  constructor(
    private readonly socket: Socket,
    private readonly smtpUtf8: boolean,
    private readonly onProtocolError: (error: SmtpError) => void,
  ) {
    socket.on("data", this.onData);
  }

  send(envelope: Envelope, raw: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      const commands = envelopeCommands(envelope, this.smtpUtf8);
      if (typeof commands !== "string") return reject(commands);
      this.waiting.push({ envelope: commands, content: dataOf(raw), recipients: envelope.to.length, accepted: 0, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.open) this.write("");
    });
  }

  /** Fails everything not acknowledged yet; the connection is gone (its owner closes it). */
  fail(error: SmtpError) {
    if (this.broken) return;
    this.broken = error;
    this.socket.removeListener("data", this.onData);
    const jobs = new Set([...this.steps.map((s) => s.job), ...this.waiting]);
    this.steps.length = 0;
    this.waiting.length = 0;
    for (const job of jobs) job.done(error);
  }

  /** `before` (content, a RSET) and the next waiting envelope, if none is open, as one socket write. */
  private write(before: string) {
    const job = !this.open ? this.waiting.shift() : undefined;
    if (job) {
      this.open = true;
      this.steps.push({ job, kind: "MAIL FROM" });
      for (let i = 0; i < job.recipients; i++) this.steps.push({ job, kind: "RCPT TO" });
      this.steps.push({ job, kind: "DATA" });
    }
    const text = job ? before + job.envelope : before;
    if (text) this.socket.write(text);
  }

  private readonly onData = (chunk: Buffer) => {
    // Replies are ASCII (RFC 5321 4.2); latin1 decodes without validating.
    const text = this.rest + chunk.toString("latin1");
    let start = 0;
    for (let end = text.indexOf("\n", start); end >= 0 && !this.broken; end = text.indexOf("\n", start)) {
      const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
      // "250-…" continues a reply; the line without the hyphen ends it.
      if (line.charCodeAt(3) === 45) this.lines += `${line}\n`;
      else if (line.trim()) {
        const reply = this.lines + line;
        this.lines = "";
        this.onReply(reply);
      }
    }
    this.rest = text.slice(start);
    if (this.rest.length + this.lines.length > MAX_REPLY) this.onProtocolError(smtpError("Server response exceeds maximum allowed size", "EPROTOCOL"));
  };

  private onReply(reply: string) {
    const step = this.steps.shift();
    if (!step) return this.onProtocolError(smtpError("Unexpected Response", "EPROTOCOL", reply));
    this.replies++;
    const code = Number(reply.slice(0, 3));
    const { job } = step;
    // RFC 5321 4.2: 421 ends the session whatever it answers.
    if (code === 421) {
      const error = smtpError("Server closed the connection", "ECONNECTION", reply, step.kind);
      // Its own message first: answered at its last step (DATA, the content), it has no other step left to be failed by.
      job.done(error);
      return this.onProtocolError(error);
    }
    switch (step.kind) {
      case "MAIL FROM":
        if (code >= 300) job.refused = smtpError("Mail command failed", "EENVELOPE", reply, step.kind);
        return;
      case "RCPT TO":
        if (code < 300) job.accepted++;
        // The first refusal is kept: with one recipient (a digest) it is the reason.
        else if (!job.refused) job.refused = smtpError("Can't send mail - all recipients were rejected", "EENVELOPE", reply, step.kind);
        return;
      case "DATA": {
        this.open = false;
        // Some recipients accepted: the message goes to them (nodemailer's rule too).
        const refused = job.accepted === 0 ? (job.refused ??= smtpError("Can't send mail - all recipients were rejected", "EENVELOPE", reply, "RCPT TO")) : undefined;
        if (code === 354) {
          // A server that opens DATA after refusing the envelope gets an empty message, which delivers nothing.
          this.steps.push({ job, kind: "END" });
          return this.write(refused ? ".\r\n" : job.content);
        }
        job.done(refused ?? smtpError("Data command failed", "EENVELOPE", reply, step.kind));
        // The refused transaction still holds its MAIL FROM: RSET before the next one.
        this.steps.push({ job, kind: "RSET" });
        return this.write("RSET\r\n");
      }
      case "END":
        if (job.accepted === 0) return job.done(job.refused);
        return job.done(code < 300 ? undefined : smtpError("Message failed", "EMESSAGE", reply, "DATA"));
      case "RSET":
        if (code >= 300) this.onProtocolError(smtpError("RSET failed", "EPROTOCOL", reply, step.kind));
        return;
    }
  }
}

/** MAIL, RCPT and DATA for an envelope, or why it cannot go: addresses are checked as nodemailer checks them. */
function envelopeCommands(envelope: Envelope, smtpUtf8: boolean): string | SmtpError {
  const addresses = [envelope.from, ...envelope.to];
  if (envelope.to.length === 0) return smtpError("No recipients defined", "EENVELOPE");
  const bad = addresses.find((a) => /[\r\n<>]/.test(a));
  if (bad !== undefined) return smtpError(`Invalid address ${JSON.stringify(bad)}`, "EENVELOPE");
  const utf8 = addresses.some((a) => /[^\x00-\x7f]/.test(a));
  if (utf8 && !smtpUtf8) return smtpError("Internationalized mailbox name not allowed", "EENVELOPE");
  let text = `MAIL FROM:<${envelope.from}>${utf8 ? " SMTPUTF8" : ""}\r\n`;
  for (const to of envelope.to) text += `RCPT TO:<${to}>\r\n`;
  return `${text}DATA\r\n`;
}
