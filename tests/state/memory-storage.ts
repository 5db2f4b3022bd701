/**
 * localStorage as browsers have it, for Node: one per "browser", shared by the tabs of a test.
 * `quota` (characters, keys and values together, as browsers count) makes setItem throw the
 * browser's QuotaExceededError once a write would pass it.
 */
export class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  constructor(public quota = Infinity) {}
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    const used = [...this.items].reduce((n, [k, v]) => n + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + String(value).length > this.quota) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
  [name: string]: unknown;
}
