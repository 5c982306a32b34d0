import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { assertStoreKey, type FileStore } from "../ports.js";

/** Files under `<root>/<tenantId>/<fileId>`: written to a temporary name and renamed, so a reader never sees half a file. */
export function diskFileStore(root: string): FileStore {
  const pathOf = (tenantId: string, fileId: string) => {
    assertStoreKey(tenantId, fileId);
    return join(root, tenantId, fileId);
  };
  return {
    async put(tenantId, fileId, bytes) {
      const path = pathOf(tenantId, fileId);
      await mkdir(join(root, tenantId), { recursive: true });
      const temp = `${path}.${crypto.randomUUID()}.part`;
      await writeFile(temp, bytes);
      await rename(temp, path);
    },
    async get(tenantId, fileId) {
      const path = pathOf(tenantId, fileId);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return null;
      return { body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, size: info.size };
    },
    async delete(tenantId, fileId) {
      await rm(pathOf(tenantId, fileId), { force: true });
    },
  };
}
