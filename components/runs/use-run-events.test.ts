/**
 * The live log's event store: in order, no duplicates after a reconnect's overlap, gaps counted,
 * progress derived from page/batch events, and at most one notification per throttle window.
 */
import { describe, expect, it, vi } from "vitest";
import { RunEventStore, type RunEvent } from "./use-run-events";

const ev = (seq: number, type = "page.fetched", data: Record<string, unknown> | null = { records: 100, total: 1000 }): RunEvent => ({
  runId: "r1",
  seq,
  level: "info",
  type,
  message: `事件 ${seq}`,
  data,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
});

describe("RunEventStore", () => {
  it("keeps events in order and drops what it already holds (reconnect overlap)", () => {
    const s = new RunEventStore(10);
    for (const n of [1, 2, 3]) expect(s.add(ev(n))).toBe(true);
    // the link reconnects and the server resends from an older id
    expect(s.add(ev(2))).toBe(false);
    expect(s.add(ev(3))).toBe(false);
    expect(s.add(ev(4))).toBe(true);
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(s.gaps).toBe(0);
    s.add(ev(6));
    expect(s.gaps).toBe(1);
  });

  it("derives progress from pages and batches, and ends on run.finished", () => {
    const s = new RunEventStore(10);
    s.add(ev(1, "run.started", null));
    s.add(ev(2));
    s.add(ev(3, "batch.written", { written: 97, failed: 3 }));
    s.add(ev(4));
    expect(s.progress).toMatchObject({ pages: 2, read: 200, total: 1000, batches: 1, written: 97, failed: 3 });
    expect(s.progress.lastAt! - s.progress.firstAt!).toBe(3000);
    expect(s.finished).toBe(false);
    s.add(ev(5, "run.finished", { status: "partial", sourceTotal: 1000 }));
    expect(s.finished).toBe(true);
  });

  it("notifies subscribers at most once per throttle window, at once when the run finishes", () => {
    vi.useFakeTimers();
    const s = new RunEventStore(100);
    const fn = vi.fn();
    s.subscribe(fn);
    for (let i = 1; i <= 2000; i++) s.add(ev(i, "record.failed", null));
    expect(fn).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(s.getVersion()).toBe(1);
    s.add(ev(2001, "run.finished", null));
    expect(fn).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
