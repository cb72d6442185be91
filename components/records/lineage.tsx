"use client";
/**
 * One record's lineage: its history across runs (which run, which version, what happened, the
 * message), and side by side the source payload, the mapped document and the vendor's response, with
 * attempts and the last error.
 *
 * Why side by side: a wrong Kingdee customer is diagnosed by reading source → mapped → response in one
 * glance (e.g. the shop's code became FNumber, the vendor said "编码已存在").
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Card, EmptyState, ErrorState, LoadingState } from "../ui/primitives";
import { RepushButton } from "../runs/actions";
import { RecordStatusBadge, RunStatusBadge, TriggerBadge } from "../runs/status";

function JsonPane({ title, value, testId, empty }: { title: string; value: unknown; testId: string; empty: string }) {
  return (
    <Card className="flex min-w-0 flex-col overflow-hidden">
      <h3 className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-semibold text-slate-600">{title}</h3>
      {value === null || value === undefined ? (
        <p className="px-4 py-6 text-center text-xs text-slate-400">{empty}</p>
      ) : (
        <pre className="max-h-[28rem] flex-1 overflow-auto px-4 py-3 font-mono text-xs leading-5 text-slate-800" data-testid={testId}>
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </Card>
  );
}

export function RecordLineage({ flowId, sourceId }: { flowId: string; sourceId: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.records.lineage.queryOptions({ flowId, sourceId }));
  const back = (
    <Link href={`/flows/${flowId}/records`} className="text-sm text-slate-500 hover:text-slate-800">
      ← {t("records.title")}
    </Link>
  );
  if (q.isPending) return <LoadingState />;
  if (q.isError)
    return (
      <div className="mx-auto max-w-7xl px-8 py-8">
        {back}
        {q.error.data?.code === "NOT_FOUND" ? (
          <Card className="mt-4">
            <EmptyState icon="?" title={t("lineage.notFound")} body={t("lineage.notFoundBody", { id: sourceId })} />
          </Card>
        ) : (
          <ErrorState message={q.error.message} onRetry={() => void q.refetch()} />
        )}
      </div>
    );
  const { record: r, history, flowName } = q.data;
  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      {back}
      <div className="mt-3 flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex flex-wrap items-center gap-2.5">
            <h1 className="text-xl font-semibold text-slate-900" data-testid="lineage-title">
              {r.number ?? r.sourceId}
            </h1>
            <RecordStatusBadge status={r.status} />
          </div>
          <p className="mt-1 text-sm text-slate-500">
            {flowName} · {t("records.col.sourceId")} <span className="font-mono">{r.sourceId}</span>
          </p>
        </div>
        <RepushButton parentRunId={r.lastRunId} sourceIds={[r.sourceId]} label={t("lineage.repush")} />
      </div>

      <dl className="mt-5 grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="lineage-facts">
        {(
          [
            ["lineage.target", r.targetNumber ?? r.targetId ?? "—"],
            ["lineage.targetId", r.targetId ?? "—"],
            ["records.col.attempts", String(r.attempts)],
            ["records.col.updated", formatDateTime(r.updatedAt, locale)],
          ] as [MessageKey, string][]
        ).map(([k, v]) => (
          <Card key={k} className="px-4 py-3">
            <dt className="text-xs text-slate-500">{t(k)}</dt>
            <dd className="mt-0.5 truncate font-mono text-sm text-slate-900">{v}</dd>
          </Card>
        ))}
      </dl>
      {r.lastError ? (
        <div role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="lineage-error">
          <span className="font-medium">{t("lineage.lastError")}</span> {r.lastError}
        </div>
      ) : null}

      <div className="mt-5 grid gap-4 lg:grid-cols-3">
        <JsonPane title={t("lineage.source")} value={r.sourcePayload} testId="lineage-source" empty={t("lineage.noPayload")} />
        <JsonPane title={t("lineage.mapped")} value={r.mappedPayload} testId="lineage-mapped" empty={t("lineage.noPayload")} />
        <JsonPane title={t("lineage.response")} value={r.targetResponse} testId="lineage-response" empty={t("lineage.noResponse")} />
      </div>

      <h2 className="mt-8 mb-3 text-base font-semibold text-slate-900">{t("lineage.history")}</h2>
      <Card>
        {history.length === 0 ? (
          <EmptyState icon="◷" title={t("lineage.noHistory")} />
        ) : (
          <ol className="divide-y divide-slate-100" data-testid="lineage-history">
            {history.map((h) => (
              <li key={h.id} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm" data-testid="lineage-step" data-status={h.status}>
                <span className="w-40 shrink-0 text-xs text-slate-500">{formatDateTime(h.createdAt, locale)}</span>
                <RecordStatusBadge status={h.status} />
                {h.run ? (
                  <>
                    <Link href={`/runs/${h.run.id}`} className="text-brand-700 hover:underline">
                      {t("lineage.run", { v: h.run.version })}
                    </Link>
                    <TriggerBadge trigger={h.run.trigger} />
                    {h.run.mode !== "full" ? <span className="text-xs text-slate-500">{t(`runs.mode.${h.run.mode}` as MessageKey)}</span> : null}
                    <RunStatusBadge status={h.run.status} />
                  </>
                ) : null}
                {h.message ? <span className="min-w-0 flex-1 break-words text-red-700">{h.message}</span> : null}
                {h.targetId ? <span className="ml-auto font-mono text-xs text-slate-500">→ {h.targetId}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
