import type { Client } from "@libsql/client";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as controlSchema from "../db/control/schema.js";
import type { TenantDb } from "../db/tenant/index.js";
import type { NationalCalendar } from "../calendar/national.js";
import type { TrustProxy } from "../http/client-address.js";

export type ControlDb = LibSQLDatabase<typeof controlSchema>;

/** Where tenants' databases live: files on Node, libSQL over HTTP on Workers. */
export interface TenantDatabases {
  /** A cached drizzle handle for the tenant's database; opening is cheap and makes no round trip. */
  open(tenantId: string, locator: string): TenantDb;
  /** The raw client (migrations speak SQL, not drizzle). */
  client(tenantId: string, locator: string): Client;
  /** Creates an empty database for a new tenant and answers its locator; may take seconds on Turso. */
  provision(tenantId: string): Promise<{ locator: string }>;
  /** Removes a database whose tenant never became active, so nothing half-made is left behind. */
  destroy(tenantId: string, locator: string): Promise<void>;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** Lets a transport that supports it drop a duplicate (exactly-once reminders rely on it). */
  idempotencyKey?: string;
}

export interface MailSession {
  /**
   * Sends whose outcomes a caller may await at once (messages pipelined on one connection); absent,
   * one at a time. Outcomes settle in the order of the sends either way.
   */
  readonly window?: number;
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  /** Many messages over one connection, where a transport can (a Worker's subrequests are counted). */
  openSession?(): Promise<MailSession>;
}

/**
 * Where uploaded files' bytes live: files under DATA_DIR/files/<tenantId>/ on Node, an R2 bucket
 * (keys `<tenantId>/<fileId>`) on Workers. Callers pass the authenticated tenant's id, so one
 * tenant's key space is never reachable from another's request.
 */
export interface FileStore {
  put(tenantId: string, fileId: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The stored bytes as a stream, or null when there is no such object. */
  get(tenantId: string, fileId: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  delete(tenantId: string, fileId: string): Promise<void>;
}

/** Keys are our own ids; anything else (a path, a dot) never reaches a file system or a bucket. */
export function assertStoreKey(tenantId: string, fileId: string): void {
  if (!/^ten_[0-9A-Z]{26}$/.test(tenantId) || !/^file_[0-9A-Z]{26}$/.test(fileId)) throw new Error(`bad file store key ${tenantId}/${fileId}`);
}

/** A person a notice is for: whichever addresses they have. */
export interface Recipient {
  name: string;
  email: string | null;
  phone: string | null;
}

/** A message without its address: each channel addresses it (email also carries the HTML). */
export type Notice = Omit<MailMessage, "to">;

/**
 * A way to reach a person: email (over the Mailer) always; SMS or WeChat can be added as further
 * channels without touching the features that notify. The first channel that reaches someone is used.
 */
export interface NotificationChannel {
  readonly name: string;
  reaches(recipient: Recipient): boolean;
  send(recipient: Recipient, notice: Notice): Promise<void>;
}

/** Work done after the request: one message names a tenant and what to do for it. */
export type BackgroundJob = { kind: "invitations"; tenantId: string };

export interface JobQueue {
  enqueue(jobs: BackgroundJob[]): Promise<void>;
}

export interface Logger {
  info(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
}

/**
 * Hashing answered at once, where the runtime has it (Node: node:crypto). WebCrypto answers every
 * signature in a promise, which costs more than the HMAC itself: a morning signs one link and hashes
 * one Message-ID per digest. The Worker leaves it out and WebCrypto does the same work there.
 */
export interface SyncCrypto {
  hmacSha256(secret: string, text: string): Uint8Array;
  sha256(text: string): Uint8Array;
}

export interface Ports {
  control: ControlDb;
  tenantDatabases: TenantDatabases;
  mailer: Mailer;
  files: FileStore;
  /** Channels beyond email (SMS, WeChat), tried after it; none are configured yet. */
  channels?: NotificationChannel[];
  /** Background work (Node: in-process; Workers: a Cloudflare Queue). */
  jobs: JobQueue;
  logger: Logger;
  config: AppConfig;
  /** China's national calendar, in memory per process or isolate (loaded before the first request). */
  calendar: NationalCalendar;
  /** Overridable so tests can travel in time. */
  now?: () => Date;
  /** Node's synchronous hashing (absent on Workers: callers fall back to WebCrypto, same bytes). */
  syncCrypto?: SyncCrypto;
}

export interface AppConfig {
  jwtSecret: string;
  /** Base URL that links in emails and responses point at. */
  publicUrl: string;
  accessTokenSeconds: number;
  refreshTokenDays: number;
  invitationDays: number;
  /** How long signup waits for a new tenant's database before answering 202; unset waits to the end. */
  provisionWaitMs?: number;
  /** Where the docs page loads its script from: our own origin, never a third-party CDN. */
  docsScriptUrl: string;
  /** Bytes of uploaded files a tenant may keep (default 10 GB). */
  fileQuotaBytes: number;
  /** Which proxy headers may name the client (src/http/client-address.ts). */
  trustProxy: TrustProxy;
}
