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
