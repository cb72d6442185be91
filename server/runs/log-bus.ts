/**
 * The in-process log bus: every persisted run event is published here, in sequence order, after it is
 * stored.
 *
 * Why this exists: the browser follows a run live (tRPC subscription over SSE). Publishing only after
 * the event is in the database lets a subscriber backfill from the database and then follow the bus
 * without gaps: anything it missed while subscribing is already readable. One bus per process; the
 * distributed mode replaces it with PostgreSQL LISTEN/NOTIFY behind the same interface.
 */
import { EventEmitter } from "node:events";

export interface RunEventRecord {
  runId: string;
  seq: number;
  level: string;
  type: string;
  message: string;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

export interface LogBus {
  publish(e: RunEventRecord): void;
  /** calls fn for each event of runId published from now on; returns the unsubscribe function */
  subscribe(runId: string, fn: (e: RunEventRecord) => void): () => void;
  /** every run's events (monitoring views) */
  subscribeAll(fn: (e: RunEventRecord) => void): () => void;
}

class EmitterBus implements LogBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(e: RunEventRecord): void {
    this.emitter.emit(`run:${e.runId}`, e);
    this.emitter.emit("all", e);
  }
  subscribe(runId: string, fn: (e: RunEventRecord) => void): () => void {
    this.emitter.on(`run:${runId}`, fn);
    return () => this.emitter.off(`run:${runId}`, fn);
  }
  subscribeAll(fn: (e: RunEventRecord) => void): () => void {
    this.emitter.on("all", fn);
    return () => this.emitter.off("all", fn);
  }
}

const g = globalThis as unknown as { __shuqiaoLogBus?: LogBus };

/** The process-wide bus (survives Next dev reloads). */
export function logBus(): LogBus {
  return (g.__shuqiaoLogBus ??= new EmitterBus());
}
