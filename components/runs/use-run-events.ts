"use client";
/**
 * Follows one run's events over the engine's tRPC subscription (SSE) and keeps them in order.
 *
 * Why this exists: the log, the progress bar and the timeline all read the same stream. Events are
 * kept in a plain store object (not React state) and the screen is told at most every ~100 ms, so
 * 2,000 events/s do not cause 2,000 renders/s. Resuming is the server's and the link's job: every
 * event is `tracked` with its sequence number, the link reconnects with the last id it saw, and the
 * server sends only what comes after; the store still drops any sequence number it already holds, so
 * a reconnect can never show an event twice. After a reload the store starts empty and the server
 * backfills the whole log. Mount one store per run (key the component by run id).
 */
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState, useSyncExternalStore } from "react";
import { useTRPC, type RouterOutputs } from "../trpc/client";

export type RunEvent = RouterOutputs["runs"]["events"]["items"][number];

export interface Progress {
  pages: number;
  read: number;
  total: number | null;
  batches: number;
  written: number;
  failed: number;
  firstAt: number | null;
  lastAt: number | null;
}

export class RunEventStore {
  readonly events: RunEvent[] = [];
  lastSeq = 0;
  gaps = 0;
  finished = false;
  version = 0;
  progress: Progress = { pages: 0, read: 0, total: null, batches: 0, written: 0, failed: 0, firstAt: null, lastAt: null };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly throttleMs = 100) {}

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };
  readonly getVersion = (): number => this.version;

  /** Adds one event; returns false for an event already held. */
  add(e: RunEvent): boolean {
    if (e.seq <= this.lastSeq) return false;
    if (e.seq !== this.lastSeq + 1) this.gaps += 1;
    this.lastSeq = e.seq;
    this.events.push(e);
    const p = this.progress;
    const at = Date.parse(e.createdAt);
    p.firstAt ??= at;
    p.lastAt = at;
    const d = e.data ?? {};
    if (e.type === "page.fetched") {
      p.pages += 1;
      p.read += typeof d.records === "number" ? d.records : 0;
      if (typeof d.total === "number") p.total = d.total;
    } else if (e.type === "batch.written") {
      p.batches += 1;
      p.written += typeof d.written === "number" ? d.written : 0;
      p.failed += typeof d.failed === "number" ? d.failed : 0;
    } else if (e.type === "run.finished") {
      if (typeof d.sourceTotal === "number") p.total = d.sourceTotal;
      this.finished = true;
      this.notify(true);
      return true;
    }
    this.notify(false);
    return true;
  }

  private notify(now: boolean): void {
    const fire = () => {
      this.timer = null;
      this.version += 1;
      for (const l of this.listeners) l();
    };
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      fire();
      return;
    }
    if (!this.timer) this.timer = setTimeout(fire, this.throttleMs);
  }
}

export interface RunEventsState {
  store: RunEventStore;
  /** bumps whenever the store changed (use in memo dependencies) */
  version: number;
  status: "connecting" | "live" | "reconnecting" | "ended" | "error";
  error: string | null;
}

export function useRunEvents(runId: string): RunEventsState {
  const trpc = useTRPC();
  const [store] = useState(() => new RunEventStore());
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const finished = store.finished;
  const sub = useSubscription(
    trpc.runEvents.onEvents.subscriptionOptions(
      { runId },
      {
        enabled: !finished,
        onData: (tracked) => {
          store.add(tracked.data as RunEvent);
        },
      },
    ),
  );
  const status: RunEventsState["status"] = finished ? "ended" : sub.status === "error" ? "error" : sub.status === "pending" ? "live" : store.lastSeq > 0 ? "reconnecting" : "connecting";
  return { store, version, status, error: sub.error ? sub.error.message : null };
}
