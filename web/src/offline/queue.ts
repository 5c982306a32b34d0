import { computed, ref } from "vue";
import { accessToken, accessTokenStale, refreshSession } from "../session";
import { online } from "../lib/network";
import { outboxStore } from "./store";
import { readProblem, type ApiProblem } from "../api";

/**
 * A write that must land exactly once even when the phone has no signal: its Idempotency-Key is
 * fixed when the person taps, kept with it in IndexedDB, and sent with every attempt, so a retry
 * after a lost answer returns the first result instead of writing twice.
 */
export interface QueuedWrite {
  key: string;
  /** What the page shows while it waits, e.g. 「记录：6月主题党日」. */
  label: string;
  /** Groups writes by the object they belong to (`task:tsk_…`), so its page can list them. */
  scope: string;
  method: "POST" | "PUT" | "PATCH";
  path: string;
  json: Record<string, unknown>;
  /** Files uploaded first (POST /v1/files, each with its own key); their ids go into `json[field]` (a dotted path reaches inside: "items.0.fileIds"). */
  files?: { field: string; blobs: { blob: Blob; name: string }[] };
  createdAt: string;
  lastError?: string;
}

export const waiting = ref<QueuedWrite[]>([]);
export const pendingCount = computed(() => waiting.value.length);

export const waitingFor = (scope: string) => computed(() => waiting.value.filter((w) => w.scope === scope));

/** Fired after a queued write lands, so the page that shows its object can reload. */
const landedListeners = new Set<(write: QueuedWrite, body: unknown) => void>();
export function onLanded(listener: (write: QueuedWrite, body: unknown) => void) {
  landedListeners.add(listener);
  return () => landedListeners.delete(listener);
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}

class Offline extends Error {}

async function attempt(write: QueuedWrite): Promise<unknown> {
  const headers = (extra: Record<string, string>) => {
    const h: Record<string, string> = { ...extra };
    const token = accessToken();
    if (token) h.Authorization = `Bearer ${token}`;
    return h;
  };
  const send = async (path: string, init: RequestInit) => {
    try {
      return await fetch(path, { ...init, credentials: "same-origin" });
    } catch {
      throw new Offline();
    }
  };
  const json = { ...write.json };
  if (write.files) {
    const ids: string[] = [];
    for (const [i, file] of write.files.blobs.entries()) {
      const form = new FormData();
      form.append("file", file.blob, file.name);
      const res = await send("/v1/files", { method: "POST", body: form, headers: headers({ "Idempotency-Key": `${write.key}-file-${i}` }) });
      if (!res.ok) throw await readProblem(res);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const keys = write.files.field.split(".");
    const last = keys.pop()!;
    const holder = keys.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, json);
    holder[last] = [...((holder[last] as string[] | undefined) ?? []), ...ids];
  }
  const res = await send(write.path, { method: write.method, body: JSON.stringify(json), headers: headers({ "Content-Type": "application/json", "Idempotency-Key": write.key }) });
  if (!res.ok) throw await readProblem(res);
  return res.status === 204 ? undefined : res.json();
}

/**
 * Send now if the network allows; otherwise keep it on the phone and send it when back online.
 * Resolves `{ sent: true, body }` or `{ sent: false }` (queued). A refusal from the API (4xx) is
 * thrown as an ApiProblem and nothing is queued: retrying would not change the answer.
 */
export async function sendOrQueue(write: Omit<QueuedWrite, "key" | "createdAt"> & { key?: string }): Promise<{ sent: true; body: unknown } | { sent: false }> {
  const full: QueuedWrite = { ...write, key: write.key ?? newIdempotencyKey(), createdAt: new Date().toISOString() };
  if (online.value) {
    try {
      return { sent: true, body: await attempt(full) };
    } catch (error) {
      if (!(error instanceof Offline) && !isRetryable(error)) throw error;
    }
  }
  await outboxStore.put(full);
  await reload();
  return { sent: false };
}

const isRetryable = (error: unknown) => (error as ApiProblem)?.status === 401 || (error as ApiProblem)?.status >= 500 || (error as ApiProblem)?.status === 409;

let flushing: Promise<void> | null = null;

/** Sends every waiting write, oldest first; stops at the first network failure. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    const writes = (await outboxStore.all<QueuedWrite>()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (writes.length > 0 && (accessTokenStale() || !accessToken())) await refreshSession();
    for (const write of writes) {
      if (write.lastError) continue;
      try {
        const body = await attempt(write);
        await outboxStore.delete(write.key);
        for (const listener of landedListeners) listener(write, body);
      } catch (error) {
        if (error instanceof Offline || isRetryable(error)) break;
        // Refused for good (the task was closed meanwhile, …): keep it visible with the reason.
        await outboxStore.put({ ...write, lastError: (error as Error).message });
      }
    }
    await reload();
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

export async function discard(key: string) {
  await outboxStore.delete(key);
  await reload();
}

async function reload() {
  waiting.value = await outboxStore.all<QueuedWrite>();
}

/** Called once at start: show what waits, and send it whenever the network comes back. */
export function startOfflineQueue() {
  void reload().then(() => (online.value && accessToken() ? flush() : undefined));
  window.addEventListener("online", () => void flush());
}
