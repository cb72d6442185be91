"use client";
/**
 * 运行记录: every run across schemes, newest first, cursor-paginated; refreshes while runs are active.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC } from "../trpc/client";
import { formatCount, formatDateTime, formatDuration } from "../ui/format";
import { Button, Card, EmptyState, ErrorState, LoadingState, PageHeader } from "../ui/primitives";
import { RunStatusBadge } from "./status";

export function RunList({ flowId }: { flowId?: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
      { flowId, limit: 50 },
      {
        getNextPageParam: (last) => last.nextCursor,
        refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((r) => r.status === "running" || r.status === "queued")) ? 2000 : false),
      },
    ),
  );
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      <PageHeader title={t("runs.title")} subtitle={t("runs.subtitle")} />
      <Card>
        {runs.isPending ? (
          <LoadingState />
        ) : runs.isError ? (
          <ErrorState message={runs.error.message} onRetry={() => void runs.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon="◷" title={t("runs.empty.title")} body={t("runs.empty.body")} />
        ) : (
          <table className="w-full text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">{t("runs.col.flow")}</th>
                <th className="px-4 py-3">{t("runs.col.status")}</th>
                <th className="px-4 py-3">{t("runs.col.trigger")}</th>
                <th className="px-4 py-3">{t("runs.col.started")}</th>
                <th className="px-4 py-3">{t("runs.col.duration")}</th>
                <th className="px-4 py-3 text-right">{t("runs.col.counts")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50" data-testid="run-row">
                  <td className="px-4 py-3">
                    <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                      {r.flowName}
                    </Link>
                    <span className="ml-2 text-xs text-slate-400">v{r.version}</span>
                  </td>
                  <td className="px-4 py-3">
                    <RunStatusBadge status={r.status} />
                  </td>
                  <td className="px-4 py-3 text-slate-600">{t(`trigger.${r.trigger}` as MessageKey)}</td>
                  <td className="px-4 py-3 text-xs text-slate-500">{formatDateTime(r.startedAt ?? r.createdAt, locale)}</td>
                  <td className="px-4 py-3 text-xs text-slate-500">{formatDuration(r.durationMs)}</td>
                  <td className="px-4 py-3 text-right font-mono text-xs text-slate-600">
                    {formatCount(r.countRead)} / <span className="text-emerald-700">{formatCount(r.countWritten)}</span> / {formatCount(r.countSkipped)} /{" "}
                    <span className={r.countFailed ? "text-red-600" : ""}>{formatCount(r.countFailed)}</span> / <span className={r.countInvalid ? "text-amber-700" : ""}>{formatCount(r.countInvalid)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {runs.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <Button onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
            {t("runs.loadMore")}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
