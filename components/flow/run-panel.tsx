"use client";
/**
 * Run from the designer: the panel that follows a run started here — live events over the engine's
 * tRPC subscription (SSE), a progress bar (records read of the source's total when it reports one),
 * the run's counts, cancel, and the way to the full run page.
 *
 * Why this exists: after pressing "运行" a person wants to see, without leaving the canvas, that pages
 * are read and documents are written — and where it went wrong if it did. The event stream and the
 * progress bar are the runs screens' own (components/runs), so both places show a run the same way.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { RunProgress } from "../runs/progress";
import { RunStatusBadge } from "../runs/status";
import { useRunEvents } from "../runs/use-run-events";
import { useCan } from "../auth/session";
import { useTRPC } from "../trpc/client";
import { formatCount } from "../ui/format";
import { Badge, Button } from "../ui/primitives";

const LEVEL: Record<string, string> = { error: "text-red-700 bg-red-50", warn: "text-amber-800 bg-amber-50", info: "text-slate-700", debug: "text-slate-400" };

export function RunPanel({ runId, sandbox, onClose }: { runId: string; sandbox: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const state = useRunEvents(runId);
  const finished = state.store.finished;
  const run = useQuery({ ...trpc.runs.byId.queryOptions({ id: runId }), refetchInterval: finished ? false : 1000 });
  const cancel = useMutation(trpc.runEvents.cancel.mutationOptions());
  const canRun = useCan("runs.operate");
  const listRef = useRef<HTMLOListElement>(null);
  const events = state.store.events;
  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [state.version]);
  useEffect(() => {
    if (finished) void run.refetch();
    // refetch once more when the stream ends so the counts are final
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished]);
  const r = run.data;
  const active = !finished && (r ? r.status === "queued" || r.status === "running" : true);
  const counts: [MessageKey, number][] = r
    ? [
        ["count.read", r.countRead],
        ["count.written", r.countWritten],
        ["count.failed", r.countFailed],
        ["count.invalid", r.countInvalid],
        ["count.skipped", r.countSkipped],
        ["count.filtered", r.countFiltered],
      ]
    : [];
  return (
    <div className="flex h-full flex-col" data-testid="run-panel" data-run-id={runId}>
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">{t("run.panel.title")}</h2>
        {sandbox ? <Badge tone="violet">{t("connections.sandbox")}</Badge> : null}
        {r ? <RunStatusBadge status={finished && r.status === "running" ? "running" : r.status} /> : null}
        <button type="button" onClick={onClose} aria-label={t("common.close")} className="ml-auto rounded px-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-500">
          ✕
        </button>
      </div>
      <RunProgress progress={state.store.progress} countRead={r?.countRead ?? 0} sourceTotal={r?.sourceTotal ?? null} pages={r?.pages ?? 0} active={active} />
      {r ? (
        <dl className="grid grid-cols-3 gap-px border-y border-slate-100 bg-slate-100 text-center" data-testid="run-counts">
          {counts.map(([k, v]) => (
            <div key={k} className="bg-white px-2 py-2">
              <dt className="text-[11px] text-slate-500">{t(k)}</dt>
              <dd className={`text-base font-semibold tabular-nums ${k === "count.failed" && v ? "text-red-600" : k === "count.written" && v ? "text-emerald-700" : "text-slate-900"}`} data-testid={`run-count-${k.slice(6)}`}>
                {formatCount(v)}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="flex items-center justify-between px-4 py-2 text-xs text-slate-500">
        <span>
          {t("run.panel.events", { n: events.length })} · <span data-testid="run-stream-status">{t(`run.stream.${state.status}` as MessageKey)}</span>
        </span>
        <span className="flex gap-2">
          {active && canRun ? (
            <Button variant="ghost" className="!px-2 !py-0.5 text-xs" onClick={() => cancel.mutate({ runId })} disabled={cancel.isPending}>
              {t("run.cancel")}
            </Button>
          ) : null}
          <Link href={`/runs/${runId}`} className="font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500" data-testid="run-open">
            {t("run.open")} →
          </Link>
        </span>
      </div>
      <ol ref={listRef} className="min-h-0 flex-1 space-y-0.5 overflow-auto px-3 pb-3 font-mono text-[11px]" aria-live="polite" data-testid="run-events">
        {events.slice(-300).map((e) => (
          <li key={e.seq} className={`rounded px-1.5 py-0.5 ${LEVEL[e.level] ?? ""}`} data-type={e.type}>
            <span className="text-slate-400">{new Date(e.createdAt).toLocaleTimeString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" })}</span> <span className="font-semibold">{e.type}</span> {e.message}
          </li>
        ))}
        {!events.length ? <li className="px-1.5 py-2 text-slate-400">{t("run.waiting")}</li> : null}
      </ol>
      {state.error ? <p className="px-4 pb-2 text-xs text-red-600">{state.error}</p> : null}
    </div>
  );
}
