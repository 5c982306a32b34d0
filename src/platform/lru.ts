/** A small LRU on Map's insertion order; `onEvict` closes what falls out (open database files). */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(
    private readonly capacity: number,
    private readonly onEvict: (value: V, key: K) => void = () => {},
  ) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const [oldestKey, oldest] = this.map.entries().next().value as [K, V];
      this.map.delete(oldestKey);
      this.onEvict(oldest, oldestKey);
    }
  }

  delete(key: K): void {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.onEvict(value, key);
    }
  }

  get size() {
    return this.map.size;
  }

  clear(): void {
    for (const [key, value] of this.map) this.onEvict(value, key);
    this.map.clear();
  }
}

/**
 * Open database handles per tenant, least recently used closed first: both runtimes keep only the
 * busy tenants' clients (files on Node, HTTP clients on Workers).
 */
export function tenantHandles<H extends { client: { close(): void } }>(capacity: number, open: (locator: string) => H) {
  const handles = new Lru<string, H>(capacity, (h) => h.client.close());
  return {
    get(tenantId: string, locator: string): H {
      let h = handles.get(tenantId);
      if (!h) {
        h = open(locator);
        handles.set(tenantId, h);
      }
      return h;
    },
    forget: (tenantId: string) => handles.delete(tenantId),
    size: () => handles.size,
    clear: () => handles.clear(),
  };
}
