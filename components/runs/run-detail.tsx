"use client";
/**
 * One run: status, version, trigger, parent and counts per stage.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC } from "../trpc/client";
import { formatCount, formatDateTime, formatDuration } from "../ui/format";
import { Card, ErrorState, LoadingState } from "../ui/primitives";
import { RunStatusBadge } from "./status";

export function RunDetail({ runId }: { runId: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const run = useQuery(trpc.runs.byId.queryOptions({ id: runId }, { refetchInterval: (q) => (q.state.data && ["running", "queued"].includes(q.state.data.status) ? 1500 : false) }));
  if (run.isPending) return <LoadingState />;
  if (run.isError) return <ErrorState message={run.error.message} />;
  const r = run.data;
  const counts: [MessageKey, number][] = [
    ["count.read", r.countRead],
    ["count.filtered", r.countFiltered],
    ["count.invalid", r.countInvalid],
    ["count.skipped", r.countSkipped],
    ["count.written", r.countWritten],
    ["count.failed", r.countFailed],
  ];
  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <Link href="/runs" className="text-sm text-slate-500 hover:text-slate-800">
        ← {t("runs.title")}
      </Link>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold text-slate-900">{r.flowName}</h1>
        <Link href={`/flows/${r.flowId}`} className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600 hover:bg-slate-200">
          v{r.version}
        </Link>
        <RunStatusBadge status={r.status} />
        <span className="text-sm text-slate-500">{t(`trigger.${r.trigger}` as MessageKey)}</span>
        {r.parentRunId ? (
          <Link href={`/runs/${r.parentRunId}`} className="text-sm text-brand-700 hover:underline">
            {t("run.parent")}
          </Link>
        ) : null}
      </div>
      <p className="mt-1 text-sm text-slate-500">
        {formatDateTime(r.startedAt ?? r.createdAt, locale)} · {formatDuration(r.durationMs)}
      </p>
      {r.error ? <p className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">{r.error}</p> : null}
      <div className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {counts.map(([k, v]) => (
          <Card key={k} className="px-4 py-3">
            <p className="text-xs text-slate-500">{t(k)}</p>
            <p className="mt-1 text-lg font-semibold text-slate-900" data-testid={k}>
              {formatCount(v)}
            </p>
          </Card>
        ))}
      </div>
    </div>
  );
}
