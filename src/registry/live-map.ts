/**
 * A ReadonlyMap whose contents can be swapped as a whole: the pipeline keeps one reference for
 * its lifetime while the admin API replaces what it points to.
 */
export class LiveMap<K, V> implements ReadonlyMap<K, V> {
  constructor(private current: ReadonlyMap<K, V>) {}

  replace(next: ReadonlyMap<K, V>): void {
    this.current = next
  }
  get size(): number {
    return this.current.size
  }
  get(key: K): V | undefined {
    return this.current.get(key)
  }
  has(key: K): boolean {
    return this.current.has(key)
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.current) callback.call(thisArg, value, key, this)
  }
  entries(): MapIterator<[K, V]> {
    return this.current.entries()
  }
  keys(): MapIterator<K> {
    return this.current.keys()
  }
  values(): MapIterator<V> {
    return this.current.values()
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.current.entries()
  }
}
