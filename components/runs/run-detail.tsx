"use client";
/**
 * One run: header (status, version with a link to it in the designer, trigger, parent run), progress
 * while it runs, counts per stage, actions, and three views — the live event log, the timeline of
 * pages and batches, and the failed / invalid records with their reasons.
 *
 * Why one page: "did last night's sync work, what failed, fix it, push again" should not need a second
 * screen. The header polls while the run is active; the log streams over SSE.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC } from "../trpc/client";
import { formatCount, formatDateTime, formatDuration } from "../ui/format";
import { Badge, Card, EmptyState, ErrorState, LoadingState } from "../ui/primitives";
import { RunActions } from "./actions";
import { LiveLog } from "./live-log";
import { RunProblems } from "./problems";
import { RunProgress } from "./progress";
import { RunStatusBadge, TriggerBadge } from "./status";
import { RunTimeline } from "./timeline";
import { useRunEvents } from "./use-run-events";

type Tab = "log" | "timeline" | "problems";

export function RunDetail({ runId }: { runId: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const run = useQuery(trpc.runs.byId.queryOptions({ id: runId }, { refetchInterval: (q) => (q.state.data && ["running", "queued"].includes(q.state.data.status) ? 1500 : false) }));
  const events = useRunEvents(runId);
  const [tab, setTab] = useState<Tab>("log");

  // when the stream says the run finished, read the final counts and problems at once
  const finished = events.store.finished;
  useEffect(() => {
    if (!finished) return;
    void qc.invalidateQueries({ queryKey: trpc.runs.byId.queryKey({ id: runId }) });
    void qc.invalidateQueries({ queryKey: trpc.runs.problems.pathKey() });
  }, [finished, qc, trpc, runId]);

  if (run.isPending) return <LoadingState />;
  if (run.isError)
    return (
      <div className="mx-auto max-w-6xl px-8 py-8">
        <BackLink />
        {run.error.data?.code === "NOT_FOUND" ? (
          <Card className="mt-4">
            <EmptyState icon="?" title={t("runs.detail.notFound")} body={t("runs.detail.notFoundBody")} />
          </Card>
        ) : (
          <ErrorState message={run.error.message} onRetry={() => void run.refetch()} />
        )}
      </div>
    );
  const r = run.data;
  const active = r.status === "running" || r.status === "queued";
  // while running, the live events are ahead of the run row (updated at each checkpoint)
  const live = active ? events.store.progress : null;
  const written = Math.max(r.countWritten, live?.written ?? 0);
  const failedN = Math.max(r.countFailed, live?.failed ?? 0);
  const counts: [MessageKey, number, string][] = [
    ["count.read", Math.max(r.countRead, live?.read ?? 0), "text-slate-900"],
    ["count.filtered", r.countFiltered, "text-slate-900"],
    ["count.invalid", r.countInvalid, r.countInvalid ? "text-amber-700" : "text-slate-900"],
    ["count.skipped", r.countSkipped, "text-slate-900"],
    ["count.written", written, "text-emerald-700"],
    ["count.failed", failedN, failedN ? "text-red-600" : "text-slate-900"],
  ];
  const timings = r.stageTimings;
  const problems = failedN + r.countInvalid;

  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      <BackLink />
      <div className="mt-3 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2.5">
            <h1 className="text-xl font-semibold text-slate-900" data-testid="run-flow-name">
              {r.flowName}
            </h1>
            <Link
              href={`/flows/${r.flowId}?version=${r.version}`}
              className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-600 hover:bg-slate-200"
              title={t("runs.detail.openVersion")}
              data-testid="run-version"
            >
              v{r.version}
            </Link>
            <RunStatusBadge status={r.status} />
            <TriggerBadge trigger={r.trigger} />
            {r.mode !== "full" ? <Badge tone="blue">{t(`runs.mode.${r.mode}` as MessageKey)}</Badge> : null}
            {r.sandbox ? <Badge tone="violet">{t("runs.sandbox")}</Badge> : null}
          </div>
          <p className="mt-1.5 flex flex-wrap gap-x-3 text-sm text-slate-500">
            <span>
              {t("runs.detail.started")} {formatDateTime(r.startedAt ?? r.createdAt, locale)}
            </span>
            <span>
              {t("runs.col.duration")} {formatDuration(r.durationMs)}
            </span>
            {r.parentRun ? (
              <Link href={`/runs/${r.parentRun.id}`} className="text-brand-700 hover:underline" data-testid="run-parent">
                {t("run.parent")} · {formatDateTime(r.parentRun.createdAt, locale)}
              </Link>
            ) : null}
            <Link href={`/flows/${r.flowId}/records`} className="text-brand-700 hover:underline">
              {t("runs.detail.ledger")}
            </Link>
            <span className="font-mono text-xs leading-5 text-slate-400">#{r.id}</span>
          </p>
        </div>
        <RunActions run={r} />
      </div>

      {r.error ? (
        <p role="alert" className="mt-4 whitespace-pre-wrap rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {r.error}
        </p>
      ) : null}
      {r.cancelRequested && active ? <p className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-800">{t("runs.detail.cancelPending")}</p> : null}

      <Card className="mt-5">
        <RunProgress progress={events.store.progress} countRead={r.countRead} sourceTotal={r.sourceTotal} pages={r.pages} status={r.status} />
        <div className="grid grid-cols-2 border-t border-slate-100 sm:grid-cols-3 lg:grid-cols-6">
          {counts.map(([k, v, color]) => (
            <div key={k} className="border-slate-100 px-5 py-3 not-last:border-r">
              <p className="text-xs text-slate-500">{t(k)}</p>
              <p className={`mt-0.5 text-lg font-semibold tabular-nums ${color}`} data-testid={k}>
                {formatCount(v)}
              </p>
            </div>
          ))}
        </div>
        {timings?.totalMs ? (
          <p className="border-t border-slate-100 px-5 py-2 text-xs text-slate-500" data-testid="stage-timings">
            {t("runs.detail.timings", {
              read: formatDuration(timings.readMs ?? 0),
              process: formatDuration(timings.processMs ?? 0),
              write: formatDuration(timings.writeMs ?? 0),
              ledger: formatDuration(timings.ledgerMs ?? 0),
            })}
          </p>
        ) : null}
      </Card>

      {r.children.length ? (
        <div className="mt-4 flex flex-wrap items-center gap-2 text-sm" data-testid="run-children">
          <span className="text-slate-500">{t("runs.detail.reruns")}</span>
          {r.children.map((c) => (
            <Link key={c.id} href={`/runs/${c.id}`} className="inline-flex items-center gap-1.5 rounded-md bg-white px-2 py-1 ring-1 ring-slate-200 hover:bg-slate-50">
              <span className="text-xs text-slate-600">{formatDateTime(c.createdAt, locale)}</span>
              <span className="text-xs text-slate-500">{t(`runs.mode.${c.mode}` as MessageKey)}</span>
              <RunStatusBadge status={c.status} />
            </Link>
          ))}
        </div>
      ) : null}

      <Card className="mt-5 overflow-hidden">
        <div role="tablist" className="flex gap-1 border-b border-slate-200 px-3">
          {(
            [
              ["log", t("runs.tab.log")],
              ["timeline", t("runs.tab.timeline")],
              ["problems", problems ? t("runs.tab.problemsN", { n: formatCount(problems) }) : t("runs.tab.problems")],
            ] as [Tab, string][]
          ).map(([k, label]) => (
            <button
              key={k}
              role="tab"
              type="button"
              aria-selected={tab === k}
              onClick={() => setTab(k)}
              data-testid={`tab-${k}`}
              className={`-mb-px border-b-2 px-3 py-2.5 text-sm font-medium ${tab === k ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800"}`}
            >
              {label}
            </button>
          ))}
        </div>
        <div role="tabpanel">
          {tab === "log" ? <LiveLog state={events} runLabel={`run-${r.id}`} /> : tab === "timeline" ? <RunTimeline state={events} /> : <RunProblems runId={r.id} flowId={r.flowId} active={active} failed={r.countFailed} invalid={r.countInvalid} />}
        </div>
      </Card>
    </div>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <Link href="/runs" className="text-sm text-slate-500 hover:text-slate-800">
      ← {t("runs.title")}
    </Link>
  );
}
