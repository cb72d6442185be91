"use client";
/**
 * The live event log of a run: a windowed list (fixed row height, only the visible rows are in the
 * DOM) with level/type filters, search, follow/pause and a JSON-lines download.
 *
 * Why windowed: a run can produce hundreds of thousands of events at 2,000/s; rendering all of them
 * would freeze the page. Filtering is incremental — new events are matched as they arrive, the whole
 * list is re-filtered only when a filter changes.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { formatCount } from "../ui/format";
import { Button, EmptyState } from "../ui/primitives";

const compact = "rounded-md border-0 bg-white px-2 py-1 text-xs text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none";
import type { RunEvent, RunEventStore, RunEventsState } from "./use-run-events";

const ROW = 24;
const HEIGHT = 420;
const OVERSCAN = 10;
const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];
const levelTone: Record<string, string> = {
  debug: "text-slate-400",
  info: "text-sky-700",
  warn: "text-amber-700",
  error: "text-red-600",
};

/** Matches events against the filters, remembering how far it got so new events cost O(new). */
class FilterCursor {
  out: RunEvent[] = [];
  done = 0;
  constructor(
    readonly key: string,
    private readonly match: ((e: RunEvent) => boolean) | null,
  ) {}
  update(all: RunEvent[]): RunEvent[] {
    if (!this.match) return all;
    for (; this.done < all.length; this.done++) if (this.match(all[this.done])) this.out.push(all[this.done]);
    return this.out;
  }
}

function timeOf(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleTimeString("en-GB", { timeZone: "Asia/Shanghai", hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
}

export function LiveLog({ state, runLabel }: { state: RunEventsState; runLabel: string }) {
  const { t } = useI18n();
  const { store, version, status } = state;
  const [levels, setLevels] = useState<Set<Level>>(() => new Set(["info", "warn", "error"]));
  const [type, setType] = useState("");
  const [search, setSearch] = useState("");
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  const filterKey = `${[...levels].sort().join(",")}|${type}|${search.trim().toLowerCase()}`;
  const [cursor, setCursor] = useState(() => new FilterCursor("", null));
  if (cursor.key !== filterKey) {
    const q = search.trim().toLowerCase();
    const all = levels.size === LEVELS.length && !type && !q;
    setCursor(
      new FilterCursor(
        filterKey,
        all
          ? null
          : (e) =>
              levels.has(e.level as Level) &&
              (!type || e.type === type) &&
              (!q || e.message.toLowerCase().includes(q) || e.type.includes(q) || (e.data ? JSON.stringify(e.data).toLowerCase().includes(q) : false)),
      ),
    );
  }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` tells us the store grew
  const rows = useMemo(() => cursor.update(store.events), [cursor, store, version]);
  const total = store.events.length;
  const typeCount = store.types.size;
  const types = useMemo(() => [...store.types].sort(), [store, typeCount]); // eslint-disable-line react-hooks/exhaustive-deps -- the set grows in place

  // follow: keep the newest row in view
  useEffect(() => {
    const el = box.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [follow, rows.length, version]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + HEIGHT) / ROW) + OVERSCAN);
  const visible = rows.slice(first, last);

  const download = () => {
    const text = store.events.map((e) => JSON.stringify(e)).join("\n") + "\n";
    const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${runLabel}.events.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const toggleLevel = (l: Level) =>
    setLevels((prev) => {
      const next = new Set(prev);
      if (next.has(l)) next.delete(l);
      else next.add(l);
      return next;
    });

  const statusText: Record<RunEventsState["status"], MessageKey> = {
    connecting: "runs.log.connecting",
    live: "runs.log.live",
    reconnecting: "runs.log.reconnecting",
    ended: "runs.log.ended",
    error: "runs.log.error",
  };

  return (
    <div data-testid="live-log">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3">
        <div className="flex items-center gap-1" role="group" aria-label={t("runs.log.levels")}>
          {LEVELS.map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={levels.has(l)}
              onClick={() => toggleLevel(l)}
              className={`rounded px-2 py-1 text-xs font-medium ring-1 ring-inset ${levels.has(l) ? "bg-slate-800 text-white ring-slate-800" : "bg-white text-slate-500 ring-slate-300 hover:bg-slate-50"}`}
            >
              {t(`runs.level.${l}` as MessageKey)}
            </button>
          ))}
        </div>
        <select aria-label={t("runs.log.type")} value={type} onChange={(e) => setType(e.target.value)} className={`${compact} w-40`}>
          <option value="">{t("runs.log.allTypes")}</option>
          {types.map((ty) => (
            <option key={ty} value={ty}>
              {ty}
            </option>
          ))}
        </select>
        <input type="search" aria-label={t("runs.log.search")} placeholder={t("runs.log.search")} value={search} onChange={(e) => setSearch(e.target.value)} className={`${compact} w-48`} />
        <div className="ml-auto flex items-center gap-2">
          <span data-testid="log-status" data-status={status} className="flex items-center gap-1.5 text-xs text-slate-500">
            <span className={`h-2 w-2 rounded-full ${status === "live" ? "animate-pulse bg-emerald-500" : status === "ended" ? "bg-slate-400" : status === "error" ? "bg-red-500" : "bg-amber-400"}`} />
            {t(statusText[status])}
          </span>
          <span className="text-xs text-slate-400" data-testid="log-count" data-total={total} data-last-seq={store.lastSeq} data-gaps={store.gaps}>
            {t("runs.log.count", { shown: formatCount(rows.length), total: formatCount(total) })}
          </span>
          <Button variant="ghost" className="py-1 text-xs" onClick={() => setFollow((f) => !f)} aria-pressed={follow} data-testid="log-follow">
            {follow ? t("runs.log.pause") : t("runs.log.follow")}
          </Button>
          <Button variant="secondary" className="py-1 text-xs" onClick={download} disabled={total === 0} data-testid="log-download">
            {t("runs.log.download")}
          </Button>
        </div>
      </div>
      {rows.length === 0 ? (
        <div style={{ height: HEIGHT }} className="flex items-center justify-center">
          {total === 0 ? (
            <EmptyState icon="≡" title={status === "ended" ? t("runs.log.noEvents") : t("runs.log.waiting")} />
          ) : (
            <EmptyState icon="⌕" title={t("runs.log.noMatch")} />
          )}
        </div>
      ) : (
        <div
          ref={box}
          role="log"
          aria-live="off"
          aria-label={t("runs.log.title")}
          data-testid="log-viewport"
          style={{ height: HEIGHT }}
          className="overflow-auto bg-slate-950 font-mono text-xs"
          onScroll={(e) => {
            const el = e.currentTarget;
            setScrollTop(el.scrollTop);
            const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
            if (follow && !atBottom) setFollow(false);
          }}
        >
          <div style={{ height: rows.length * ROW, position: "relative" }}>
            {visible.map((e, i) => (
              <LogRow key={e.seq} e={e} top={(first + i) * ROW} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

function LogRow({ e, top }: { e: RunEvent; top: number }) {
  return (
    <div
      data-testid="log-row"
      data-seq={e.seq}
      data-type={e.type}
      style={{ position: "absolute", top, height: ROW, left: 0, right: 0 }}
      className="flex items-center gap-3 whitespace-nowrap px-4 text-slate-300 hover:bg-white/5"
      title={e.message}
    >
      <span className="w-12 shrink-0 text-right text-slate-500">{e.seq}</span>
      <span className="w-24 shrink-0 text-slate-500">{timeOf(e.createdAt)}</span>
      <span className={`w-12 shrink-0 uppercase ${levelTone[e.level] ?? ""} ${e.level === "info" ? "text-sky-400" : e.level === "warn" ? "text-amber-400" : e.level === "error" ? "text-red-400" : ""}`}>{e.level}</span>
      <span className="w-32 shrink-0 truncate text-violet-300">{e.type}</span>
      <span className="truncate text-slate-100">{e.message}</span>
    </div>
  );
}

export type { RunEventStore };
