/** A tiny IndexedDB key-value store for writes waiting for the network (Blobs included). */
const DB_NAME = "qingdan";
const STORE = "outbox";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = act(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(request.result as T);
        };
        tx.onerror = () => reject(tx.error);
      }),
  );
}

export const outboxStore = {
  all: <T>() => run<T[]>("readonly", (s) => s.getAll()),
  put: <T>(value: T) => run<IDBValidKey>("readwrite", (s) => s.put(value)),
  delete: (key: string) => run<undefined>("readwrite", (s) => s.delete(key)),
};
