"use client";
/**
 * Follows one run's events over a tRPC subscription (SSE, `runs.eventBatches`: the engine's events,
 * one message per batch) and keeps them in order.
 *
 * Why this exists: the log, the progress bar and the timeline all read the same stream. Events are
 * kept in a plain store object (not React state) and the screen is told at most every ~250 ms, so
 * 2,000 events/s do not cause 2,000 renders/s. Resuming is the server's and the link's job: every
 * event is `tracked` with its sequence number, the link reconnects with the last id it saw, and the
 * server sends only what comes after; the store still drops any sequence number it already holds, so
 * a reconnect can never show an event twice. After a reload the store starts empty and the server
 * backfills the whole log. Mount one store per run (key the component by run id).
 *
 * Backfill first, then follow: what is already stored is read in pages of 5,000 with the plain
 * `runs.events` query (one JSON document per page — an SSE message per event costs the browser far
 * more), and only then does the subscription start, from the last sequence number held. A run with
 * 50,000 stored events opens in a few requests instead of 50,000 messages.
 */
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import { useTRPC, useTRPCClient, type RouterOutputs } from "../trpc/client";
import { goToSignIn, isUnauthorized } from "../auth/redirect";

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
  /** event types seen so far (for the type filter), kept as events arrive */
  readonly types = new Set<string>();
  lastSeq = 0;
  gaps = 0;
  finished = false;
  version = 0;
  progress: Progress = { pages: 0, read: 0, total: null, batches: 0, written: 0, failed: 0, firstAt: null, lastAt: null };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly throttleMs = 250) {}

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
    this.types.add(e.type);
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

const BACKFILL_PAGE = 5000;

export function useRunEvents(runId: string): RunEventsState {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [store] = useState(() => new RunEventStore());
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const finished = store.finished;
  /** the sequence number the subscription starts after (null while backfilling) */
  const [followFrom, setFollowFrom] = useState<number | null>(null);
  const [backfillError, setBackfillError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    void (async () => {
      try {
        for (;;) {
          const page = await client.runs.events.query({ runId, afterSeq: store.lastSeq, limit: BACKFILL_PAGE });
          if (stop) return;
          for (const e of page.items) store.add(e);
          if (page.nextAfterSeq === null || store.finished) break;
        }
      } catch (e) {
        if (isUnauthorized(e)) goToSignIn(); // the session ended while watching
        if (!stop) setBackfillError(e instanceof Error ? e.message : String(e));
      }
      if (!stop) setFollowFrom(store.lastSeq);
    })();
    return () => {
      stop = true;
    };
  }, [client, runId, store]);
  const sub = useSubscription(
    trpc.runs.eventBatches.subscriptionOptions(
      { runId, lastEventId: followFrom ? String(followFrom) : null },
      {
        enabled: !finished && followFrom !== null,
        onData: (tracked) => {
          for (const e of tracked.data) store.add(e);
        },
        onError: (e) => {
          if (isUnauthorized(e)) goToSignIn();
        },
      },
    ),
  );
  const status: RunEventsState["status"] = finished
    ? "ended"
    : sub.status === "error"
      ? "error"
      : sub.status === "pending"
        ? "live"
        : followFrom !== null && store.lastSeq > followFrom
          ? "reconnecting"
          : "connecting";
  return { store, version, status, error: sub.error ? sub.error.message : (backfillError ?? null) };
}
