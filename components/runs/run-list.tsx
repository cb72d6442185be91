"use client";
/**
 * 运行记录: every run across schemes, newest first, keyset-paginated, with filters by scheme, status,
 * trigger and time range kept in the URL (shareable, survives reload). Refreshes by itself while runs
 * are active — and notices new ones (a scheduled run starting) by polling a cheap count.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC, type RouterInputs } from "../trpc/client";
import { formatCount, formatDateTime, formatDuration } from "../ui/format";
import { Button, Card, EmptyState, ErrorState, LoadMore, LoadingState, PageHeader } from "../ui/primitives";

const field = "block rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none";
import { RunStatusBadge, TriggerBadge } from "./status";

type ListInput = RouterInputs["runs"]["list"] & object;
const STATUSES = ["queued", "running", "succeeded", "partial", "failed", "cancelled"] as const;
const TRIGGERS = ["manual", "schedule", "rerun", "api", "resume"] as const;
const RANGES: { key: string; ms: number; label: MessageKey }[] = [
  { key: "1h", ms: 3600_000, label: "runs.range.1h" },
  { key: "24h", ms: 86400_000, label: "runs.range.24h" },
  { key: "7d", ms: 7 * 86400_000, label: "runs.range.7d" },
  { key: "30d", ms: 30 * 86400_000, label: "runs.range.30d" },
];

function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  // datetime-local wants local wall time without zone
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function RunList({ flowId: fixedFlowId }: { flowId?: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();

  const flowId = fixedFlowId ?? params.get("flowId") ?? undefined;
  const status = (STATUSES as readonly string[]).includes(params.get("status") ?? "") ? (params.get("status") as ListInput["status"]) : undefined;
  const trigger = (TRIGGERS as readonly string[]).includes(params.get("trigger") ?? "") ? (params.get("trigger") as ListInput["trigger"]) : undefined;
  const fromIso = params.get("from");
  const toIso = params.get("to");
  const range = params.get("range");
  const from = fromIso && !Number.isNaN(Date.parse(fromIso)) ? new Date(fromIso) : undefined;
  const to = toIso && !Number.isNaN(Date.parse(toIso)) ? new Date(toIso) : undefined;
  const filtered = !!(flowId || status || trigger || from || to);

  // Two filter changes in quick succession: the second must build on the first even before the router
  // has applied it (useSearchParams is still the old URL then), or the first change is lost.
  const pendingQuery = useRef<string | null>(null);
  useEffect(() => {
    pendingQuery.current = null;
  }, [params]);
  const setParams = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(pendingQuery.current ?? params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    pendingQuery.current = qs;
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  const flows = useQuery(trpc.flows.list.queryOptions(undefined, { staleTime: 60_000 }));
  const active = useQuery(trpc.runs.activeCount.queryOptions(undefined, { refetchInterval: 5000 }));
  const anyActive = (active.data?.count ?? 0) > 0;
  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
      { flowId, status, trigger, from, to, limit: 50 },
      {
        getNextPageParam: (last) => last.nextCursor,
        refetchInterval: (q) => (anyActive || q.state.data?.pages.some((p) => p.items.some((r) => r.status === "running" || r.status === "queued")) ? 2500 : false),
        placeholderData: (prev) => prev,
      },
    ),
  );
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      <PageHeader
        title={t("runs.title")}
        subtitle={t("runs.subtitle")}
        actions={
          anyActive ? (
            <span className="flex items-center gap-1.5 text-xs text-blue-700" data-testid="runs-active">
              <span className="h-2 w-2 animate-pulse rounded-full bg-blue-500" />
              {t("runs.list.activeN", { n: active.data?.count ?? 0 })}
            </span>
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3" data-testid="run-filters">
        {!fixedFlowId ? (
          <label className="text-xs text-slate-500">
            <span className="mb-1 block">{t("runs.col.flow")}</span>
            <select className={`${field} w-64`} value={flowId ?? ""} onChange={(e) => setParams({ flowId: e.target.value })} data-testid="filter-flow">
              <option value="">{t("runs.filter.allFlows")}</option>
              {flows.data?.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="text-xs text-slate-500">
          <span className="mb-1 block">{t("runs.col.status")}</span>
          <select className={`${field} w-36`} value={status ?? ""} onChange={(e) => setParams({ status: e.target.value })} data-testid="filter-status">
            <option value="">{t("runs.filter.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-500">
          <span className="mb-1 block">{t("runs.col.trigger")}</span>
          <select className={`${field} w-32`} value={trigger ?? ""} onChange={(e) => setParams({ trigger: e.target.value })} data-testid="filter-trigger">
            <option value="">{t("runs.filter.all")}</option>
            {TRIGGERS.map((s) => (
              <option key={s} value={s}>
                {t(`trigger.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <div className="text-xs text-slate-500">
          <span className="mb-1 block">{t("runs.filter.time")}</span>
          <div className="flex items-center gap-1">
            {RANGES.map((r) => (
              <button
                key={r.key}
                type="button"
                aria-pressed={range === r.key}
                onClick={() => setParams(range === r.key ? { range: null, from: null, to: null } : { range: r.key, from: new Date(Date.now() - r.ms).toISOString(), to: null })}
                className={`shrink-0 whitespace-nowrap rounded-md px-2.5 py-1.5 text-xs font-medium ring-1 ring-inset ${range === r.key ? "bg-slate-800 text-white ring-slate-800" : "bg-white text-slate-600 ring-slate-300 hover:bg-slate-50"}`}
              >
                {t(r.label)}
              </button>
            ))}
            <input
              type="datetime-local"
              aria-label={t("runs.filter.from")}
              className={`${field} w-48 text-xs`}
              value={toLocalInput(fromIso)}
              onChange={(e) => setParams({ range: null, from: e.target.value ? new Date(e.target.value).toISOString() : null })}
            />
            <span>–</span>
            <input
              type="datetime-local"
              aria-label={t("runs.filter.to")}
              className={`${field} w-48 text-xs`}
              value={toLocalInput(toIso)}
              onChange={(e) => setParams({ range: null, to: e.target.value ? new Date(e.target.value).toISOString() : null })}
            />
          </div>
        </div>
        {flowId && !fixedFlowId ? (
          <Link href={`/flows/${flowId}/records`} className="pb-2 text-xs text-brand-700 hover:underline" data-testid="filter-flow-data">
            {t("runs.filter.flowData")}
          </Link>
        ) : null}
        {filtered && !fixedFlowId ? (
          <Button variant="ghost" className="text-xs" onClick={() => router.replace(pathname, { scroll: false })} data-testid="filter-clear">
            {t("runs.filter.clear")}
          </Button>
        ) : null}
      </div>
      <Card className="overflow-hidden">
        {runs.isPending ? (
          <LoadingState />
        ) : runs.isError ? (
          <ErrorState message={runs.error.message} onRetry={() => void runs.refetch()} />
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState icon="⌕" title={t("runs.empty.filteredTitle")} body={t("runs.empty.filteredBody")} />
          ) : (
            <EmptyState
              icon="◷"
              title={t("runs.empty.title")}
              body={t("runs.empty.body")}
              action={
                <Link href="/flows" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
                  {t("runs.empty.action")}
                </Link>
              }
            />
          )
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-3">{t("runs.col.flow")}</th>
                  <th className="px-3 py-3">{t("runs.col.status")}</th>
                  <th className="px-3 py-3">{t("runs.col.trigger")}</th>
                  <th className="px-3 py-3">{t("runs.col.started")}</th>
                  <th className="px-3 py-3 text-right">{t("runs.col.duration")}</th>
                  <th className="px-3 py-3 text-right">{t("count.read")}</th>
                  <th className="px-3 py-3 text-right">{t("count.written")}</th>
                  <th className="px-3 py-3 text-right">{t("runs.col.skipped")}</th>
                  <th className="px-3 py-3 text-right">{t("count.failed")}</th>
                  <th className="px-4 py-3 text-right">{t("count.invalid")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((r) => (
                  <tr
                    key={r.id}
                    className="cursor-pointer hover:bg-slate-50"
                    data-testid="run-row"
                    data-run-id={r.id}
                    data-status={r.status}
                    data-trigger={r.trigger}
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest("a")) return;
                      router.push(`/runs/${r.id}`);
                    }}
                  >
                    <td className="px-4 py-2.5">
                      <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                        {r.flowName}
                      </Link>
                      <span className="ml-2 font-mono text-xs text-slate-400">v{r.version}</span>
                      {r.mode !== "full" ? <span className="ml-2 text-xs text-slate-500">{t(`runs.mode.${r.mode}` as MessageKey)}</span> : null}
                    </td>
                    <td className="px-3 py-2.5">
                      <RunStatusBadge status={r.status} />
                    </td>
                    <td className="px-3 py-2.5">
                      <TriggerBadge trigger={r.trigger} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2.5 text-xs text-slate-600">{formatDateTime(r.startedAt ?? r.createdAt, locale)}</td>
                    <td className="whitespace-nowrap px-3 py-2.5 text-right text-xs text-slate-600">{r.status === "queued" ? "—" : formatDuration(r.durationMs)}</td>
                    <td className="px-3 py-2.5 text-right font-mono text-xs tabular-nums text-slate-700">{formatCount(r.countRead)}</td>
                    <td className="px-3 py-2.5 text-right font-mono text-xs tabular-nums text-emerald-700">{formatCount(r.countWritten)}</td>
                    <td className="px-3 py-2.5 text-right font-mono text-xs tabular-nums text-slate-500">{formatCount(r.countSkipped)}</td>
                    <td className={`px-3 py-2.5 text-right font-mono text-xs tabular-nums ${r.countFailed ? "font-semibold text-red-600" : "text-slate-400"}`}>{formatCount(r.countFailed)}</td>
                    <td className={`px-4 py-2.5 text-right font-mono text-xs tabular-nums ${r.countInvalid ? "font-semibold text-amber-700" : "text-slate-400"}`}>{formatCount(r.countInvalid)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {runs.hasNextPage ? (
        <LoadMore query={runs} className="mt-4" testId="runs-load-more" />
      ) : items.length > 0 ? (
        <p className="mt-4 text-center text-xs text-slate-400">{t("runs.list.end", { n: formatCount(items.length) })}</p>
      ) : null}
    </div>
  );
}
