import type { FileKind } from "../../db/tenant/files.js";
import { ProblemError } from "../../http/problem.js";
import { MAX_UPLOAD_BYTES, SNIFF_BYTES, sizeLimits } from "./types.js";

const tooLarge = (limit: number) => new ProblemError("file.too_large", `上限 ${limit / 1024 / 1024} MB / At most ${limit / 1024 / 1024} MB`);

/** Refuses a declared length over the largest limit before a byte is read. */
export function checkDeclaredLength(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d{1,15}$/.test(header)) return undefined;
  const length = Number(header);
  if (length > MAX_UPLOAD_BYTES) throw tooLarge(MAX_UPLOAD_BYTES);
  return length;
}

/**
 * Reads an upload into memory, deciding its kind (and so its limit) from the first bytes: an
 * executable is refused after 4 KB, a 50 MB "photo" after its first 10 MB, and a declared length
 * over the kind's limit before the rest is read at all. The reader is cancelled on refusal.
 */
export async function readUpload(stream: ReadableStream<Uint8Array>, declared: number | undefined, kindOf: (prefix: Uint8Array) => Promise<FileKind>): Promise<{ bytes: Uint8Array; kind: FileKind }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let kind: FileKind | undefined;
  let limit = MAX_UPLOAD_BYTES;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) {
        chunks.push(value);
        total += value.byteLength;
      }
      if (!kind && (total >= SNIFF_BYTES || done) && total > 0) {
        kind = await kindOf(concat(chunks, total).subarray(0, SNIFF_BYTES));
        limit = sizeLimits[kind];
        if (declared !== undefined && declared > limit) throw tooLarge(limit);
      }
      if (total > limit) throw tooLarge(limit);
      if (done) break;
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  if (!kind) throw new ProblemError("file.empty");
  return { bytes: concat(chunks, total), kind };
}

/** Room for a multipart body's boundaries and part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * A multipart upload's one file, parsed by the runtime from a body capped at the largest upload:
 * the runtime's parser may wrap the cap's error in its own, so the cap remembers that it fired.
 */
export async function multipartFile(stream: ReadableStream<Uint8Array>, contentType: string): Promise<File> {
  let seen = 0;
  let exceeded = false;
  const limited = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD) {
          exceeded = true;
          controller.error(tooLarge(MAX_UPLOAD_BYTES));
        } else controller.enqueue(chunk);
      },
    }),
  );
  let form: FormData;
  try {
    form = await new Response(limited, { headers: { "content-type": contentType } }).formData();
  } catch {
    if (exceeded) throw tooLarge(MAX_UPLOAD_BYTES);
    throw new ProblemError("file.malformed_multipart");
  }
  const files = [...form.values()].filter((value): value is File => typeof value !== "string");
  if (files.length !== 1) throw new ProblemError("validation.failed", { errors: [{ path: "file", message: "须恰好一个文件 / Exactly one file part is needed" }] });
  return files[0]!;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  chunks.length = 0;
  chunks.push(out);
  return out;
}
