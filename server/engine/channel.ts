/**
 * A bounded async channel (a queue with back-pressure) between pipeline stages.
 *
 * Why this exists: the source may be faster than the target (or the reverse). A bounded buffer makes
 * the faster stage wait instead of piling records up in memory, so memory stays flat whatever the
 * record count, while both stages still overlap.
 */
export class Channel<T> {
  private readonly buf: T[] = [];
  private closed = false;
  private readonly pushers: (() => void)[] = [];
  private readonly pullers: ((r: IteratorResult<T>) => void)[] = [];

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new Error("channel capacity must be >= 1");
  }

  /** Waits while the buffer is full. Returns false when the channel was closed (value dropped). */
  async push(value: T): Promise<boolean> {
    while (!this.closed && this.buf.length >= this.capacity && this.pullers.length === 0) {
      await new Promise<void>((r) => this.pushers.push(r));
    }
    if (this.closed) return false;
    const puller = this.pullers.shift();
    if (puller) puller({ value, done: false });
    else this.buf.push(value);
    return true;
  }

  async pull(): Promise<IteratorResult<T>> {
    if (this.buf.length) {
      const value = this.buf.shift() as T;
      this.pushers.shift()?.();
      return { value, done: false };
    }
    if (this.closed) return { value: undefined, done: true };
    return new Promise((r) => this.pullers.push(r));
  }

  /** No more values; pending pulls end once the buffer is drained. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.buf.length === 0) for (const p of this.pullers.splice(0)) p({ value: undefined, done: true });
    for (const p of this.pushers.splice(0)) p();
  }

  /** Closes and discards buffered values (cancel / abort). */
  drain(): T[] {
    const rest = this.buf.splice(0);
    this.close();
    for (const p of this.pullers.splice(0)) p({ value: undefined, done: true });
    return rest;
  }

  get size(): number {
    return this.buf.length;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const r = await this.pull();
      if (r.done) return;
      yield r.value;
    }
  }
}
