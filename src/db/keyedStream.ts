/** Compares keys the way the server sorts strings without a collation: by their UTF-8 bytes. */
export const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Documents read from a cursor sorted by a string key, handed out key by key in ascending order: the reader
 * asks for the documents of a key, and everything before it is skipped. One query serves any number of keys, so
 * a job reads a collection once instead of once per chunk (FerretDB v1 answers `$in` by reading the whole
 * collection). Asking for a key before the last one asked is refused: the caller reopens a stream instead.
 */
export class KeyedStream<T> {
  private head: T | null | undefined; // undefined: not read yet; null: the cursor is exhausted
  private last: string | null = null;

  constructor(
    private readonly cursor: { next(): Promise<T | null>; close(): Promise<unknown> },
    private readonly keyOf: (doc: T) => string,
  ) {}

  /** Whether `key` can still be asked for. */
  canTake(key: string): boolean {
    return this.last === null || compareKeys(this.last, key) <= 0;
  }

  /** The documents whose key is `key` (none when it has none). */
  async take(key: string): Promise<T[]> {
    if (!this.canTake(key)) throw new Error(`KeyedStream: ${key} comes before ${this.last}`);
    this.last = key;
    const found: T[] = [];
    for (;;) {
      if (this.head === undefined) {
        this.head = await this.cursor.next();
      }
      if (this.head === null) return found;
      const order = compareKeys(this.keyOf(this.head), key);
      if (order > 0) return found;
      if (order === 0) found.push(this.head);
      this.head = undefined;
    }
  }

  close(): Promise<unknown> {
    return this.cursor.close();
  }
}
