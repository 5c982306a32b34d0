import type { Api, Reply } from "../support/api.js";

/** Uploads bytes as the raw body (with its declared type and a `?name=`), or as multipart/form-data. */
export async function upload(api: Api, token: string, bytes: Uint8Array, options: { type?: string; name?: string; multipart?: boolean } = {}): Promise<Reply> {
  let init: RequestInit;
  let path = "/v1/files";
  if (options.multipart) {
    const form = new FormData();
    form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: options.type ?? "application/octet-stream" }), options.name ?? "upload.bin");
    init = { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form };
  } else {
    if (options.name) path += `?name=${encodeURIComponent(options.name)}`;
    init = { method: "POST", headers: { authorization: `Bearer ${token}`, ...(options.type ? { "content-type": options.type } : {}) }, body: bytes as BodyInit };
  }
  const res = await api.target.fetch(path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text && (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text };
}

/** Downloads a file's bytes, with a bearer token or through a signed URL (no token). */
export async function download(api: Api, path: string, token?: string) {
  const res = await api.target.fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, headers: res.headers, bytes, body: type.includes("json") ? JSON.parse(new TextDecoder().decode(bytes)) : undefined };
}

export async function sha256Hex(bytes: Uint8Array) {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A body that produces `total` bytes lazily, `chunk` at a time, after `head`, counting what the
 * server pulled: proof that an oversize upload was refused before it was all read.
 */
export function lazyBody(head: Uint8Array, total: number, chunk = 256 * 1024) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      const piece = state.pulled === 0 ? head : new Uint8Array(Math.min(chunk, total - state.pulled)).fill(0x42);
      state.pulled += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { stream, state };
}
