/**
 * The run queue: how a created run gets executed.
 *
 * Why this exists: the web process, the CLI and (later) worker processes must not care who executes a
 * run. Embedded mode uses this in-process queue (a few runs at once, each run id at most once); the
 * distributed mode puts pg-boss behind the same interface so any worker can take the job and resume it
 * from its checkpoint.
 */
export interface Queue {
  enqueue(runId: string): Promise<void>;
  /** begins handing queued run ids to `handler` */
  start(handler: (runId: string) => Promise<void>): void;
  /** stops taking new runs; resolves when the runs in hand have finished */
  stop(): Promise<void>;
}

export class InProcessQueue implements Queue {
  private readonly waiting: string[] = [];
  private readonly known = new Set<string>();
  private readonly active = new Map<string, Promise<void>>();
  private handler?: (runId: string) => Promise<void>;
  private stopped = false;

  constructor(private readonly concurrency = 2) {}

  async enqueue(runId: string): Promise<void> {
    if (this.known.has(runId) || this.stopped) return;
    this.known.add(runId);
    this.waiting.push(runId);
    this.pump();
  }

  start(handler: (runId: string) => Promise<void>): void {
    this.handler = handler;
    this.stopped = false;
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.active.values()]);
  }

  /** run ids waiting or executing */
  get size(): number {
    return this.waiting.length + this.active.size;
  }

  /** resolves when nothing is waiting or executing */
  async idle(): Promise<void> {
    while (this.waiting.length || this.active.size) await Promise.allSettled([...this.active.values()]);
  }

  private pump(): void {
    if (!this.handler || this.stopped) return;
    while (this.active.size < this.concurrency && this.waiting.length) {
      const id = this.waiting.shift() as string;
      const p = this.handler(id)
        .catch((e) => console.error(`[queue] run ${id} failed:`, e))
        .finally(() => {
          this.active.delete(id);
          this.known.delete(id);
          this.pump();
        });
      this.active.set(id, p);
    }
  }
}

const g = globalThis as unknown as { __shuqiaoRunQueue?: Queue };

/** Registers the process's run queue (the server does this at start through startEmbeddedQueue). */
export function setRunQueue(queue: Queue | undefined): void {
  g.__shuqiaoRunQueue = queue;
}

export function getRunQueue(): Queue | undefined {
  return g.__shuqiaoRunQueue;
}
