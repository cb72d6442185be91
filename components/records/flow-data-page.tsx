"use client";
/**
 * A scheme's operations page (数据与定时): run it now, its schedule, its recent runs and its ledger.
 *
 * Why a page of its own: the designer is for changing a scheme; this is where an analyst looks after
 * one that runs — start it, schedule it, see what reached the target.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "../i18n/provider";
import { useCan } from "../auth/session";
import { useTRPC } from "../trpc/client";
import { formatCount, formatDateTime } from "../ui/format";
import { Button, Card, Dialog, EmptyState, ErrorState, LoadingState } from "../ui/primitives";
import { RunStatusBadge, TriggerBadge } from "../runs/status";
import { SchedulePanel } from "../schedules/schedule-panel";
import { RecordsBrowser } from "./records-browser";

export function FlowDataPage({ flowId }: { flowId: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const flow = useQuery(trpc.flows.byId.queryOptions({ id: flowId }));
  const recent = useQuery(trpc.runs.list.queryOptions({ flowId, limit: 5 }, { refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === "running" || r.status === "queued") ? 2500 : 10_000) }));
  const [confirmStart, setConfirmStart] = useState(false);
  const canRun = useCan("runs.operate");
  const start = useMutation(trpc.runEvents.start.mutationOptions({ onSuccess: (r) => router.push(`/runs/${r.runId}`) }));

  if (flow.isPending) return <LoadingState />;
  if (flow.isError)
    return (
      <div className="mx-auto max-w-7xl px-8 py-8">
        {flow.error.data?.code === "NOT_FOUND" ? (
          <Card>
            <EmptyState icon="?" title={t("designer.notFound")} action={<Link href="/flows" className="text-sm text-brand-700 hover:underline">{t("designer.back")}</Link>} />
          </Card>
        ) : (
          <ErrorState message={flow.error.message} onRetry={() => void flow.refetch()} />
        )}
      </div>
    );
  const f = flow.data;
  const latest = recent.data?.items[0] ?? null;
  const busy = recent.data?.items.some((r) => r.status === "running" || r.status === "queued") ?? false;

  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      <Link href={`/flows/${flowId}`} className="text-sm text-slate-500 hover:text-slate-800">
        ← {t("records.backToDesigner")}
      </Link>
      <div className="mt-3 mb-5 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold text-slate-900" data-testid="flow-data-title">
            {f.name}
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            {t("records.subtitle", { v: f.currentVersion })}
            {f.problems.length ? <span className="ml-2 text-amber-700">{t("records.hasProblems", { n: f.problems.length })}</span> : null}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Link href={`/runs?flowId=${flowId}`} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
            {t("records.allRuns")}
          </Link>
          {canRun ? (
            <Button variant="primary" onClick={() => setConfirmStart(true)} disabled={f.problems.length > 0} data-testid="flow-run-now">
              {t("records.runNow")}
            </Button>
          ) : null}
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-[1fr_1fr]">
        <SchedulePanel flowId={flowId} />
        <Card className="px-5 py-4">
          <h2 className="text-sm font-semibold text-slate-900">{t("records.recentRuns")}</h2>
          {recent.isPending ? (
            <div className="mt-3 h-5 w-48 animate-pulse rounded bg-slate-100" />
          ) : recent.isError ? (
            <p className="mt-2 text-sm text-red-700">{recent.error.message}</p>
          ) : recent.data.items.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500">{t("records.noRuns")}</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100" data-testid="flow-recent-runs">
              {recent.data.items.map((r) => (
                <li key={r.id} className="flex items-center gap-2 py-1.5 text-sm">
                  <Link href={`/runs/${r.id}`} className="text-brand-700 hover:underline">
                    {formatDateTime(r.startedAt ?? r.createdAt, locale)}
                  </Link>
                  <TriggerBadge trigger={r.trigger} />
                  <RunStatusBadge status={r.status} />
                  <span className="ml-auto text-xs text-slate-500">
                    {t("records.recentCounts", { read: formatCount(r.countRead), written: formatCount(r.countWritten), skipped: formatCount(r.countSkipped) })}
                    {r.countFailed ? <span className="ml-1.5 font-medium text-red-600">{t("records.recentFailed", { n: formatCount(r.countFailed) })}</span> : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <h2 className="mt-8 mb-3 text-base font-semibold text-slate-900">{t("records.title")}</h2>
      <RecordsBrowser flowId={flowId} latestRunId={latest?.id ?? null} />

      <Dialog
        open={confirmStart}
        onClose={() => setConfirmStart(false)}
        title={t("records.runNow.title")}
        footer={
          <>
            <Button onClick={() => setConfirmStart(false)}>{t("common.cancel")}</Button>
            <Button variant="primary" onClick={() => start.mutate({ flowId })} disabled={start.isPending || busy} data-testid="flow-run-now-confirm">
              {t("records.runNow")}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-700">{t("records.runNow.body", { name: f.name, v: f.currentVersion })}</p>
        {busy ? <p className="mt-2 text-sm text-amber-700">{t("records.runNow.busy")}</p> : null}
        {start.error ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {start.error.message}
          </p>
        ) : null}
      </Dialog>
    </div>
  );
}
