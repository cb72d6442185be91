/**
 * A counting semaphore and a "don't warn about this rejection yet" helper.
 *
 * Why this exists: detail fetches run N at a time across page boundaries, and prefetched pages may
 * reject before anyone awaits them — that must not crash the process as an unhandled rejection.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiters.push(r));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.waiters.shift()?.();
    }
  }
}

/** Marks a promise as handled (its rejection is still seen by whoever awaits it later). */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
