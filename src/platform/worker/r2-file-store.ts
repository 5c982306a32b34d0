import { assertStoreKey, type FileStore } from "../ports.js";

/** An R2 bucket, one key prefix per tenant: `<tenantId>/<fileId>`. */
export function r2FileStore(bucket: R2Bucket): FileStore {
  const keyOf = (tenantId: string, fileId: string) => {
    assertStoreKey(tenantId, fileId);
    return `${tenantId}/${fileId}`;
  };
  return {
    async put(tenantId, fileId, bytes, contentType) {
      await bucket.put(keyOf(tenantId, fileId), bytes, { httpMetadata: { contentType } });
    },
    async get(tenantId, fileId) {
      const object = await bucket.get(keyOf(tenantId, fileId));
      return object ? { body: object.body as ReadableStream<Uint8Array>, size: object.size } : null;
    },
    async delete(tenantId, fileId) {
      await bucket.delete(keyOf(tenantId, fileId));
    },
  };
}
