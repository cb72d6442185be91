"use client";
/**
 * 数据: a scheme's ledger — search by source id or business number (e.g. shop code G001), filter by
 * status with counts, open a record's lineage, pick records and re-push them.
 *
 * Why: the ledger answers "did G001 reach Kingdee, and as what?" without opening the ERP.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC, type RouterInputs } from "../trpc/client";
import { formatCount, formatDateTime } from "../ui/format";
import { Card, EmptyState, ErrorState, LoadMore, LoadingState, inputClass } from "../ui/primitives";
import { RepushButton } from "../runs/actions";
import { RecordStatusBadge } from "../runs/status";

type Status = NonNullable<RouterInputs["records"]["list"]["status"]>;
const STATUSES: Status[] = ["written", "failed", "invalid", "skipped", "sending", "pending"];

export function RecordsBrowser({ flowId, latestRunId }: { flowId: string; latestRunId: string | null }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const search = params.get("q") ?? "";
  const status = STATUSES.includes(params.get("status") as Status) ? (params.get("status") as Status) : undefined;
  const [text, setText] = useState(search);
  const [picked, setPicked] = useState<Set<string>>(new Set());

  const setParams = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (!v) next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  // search as you type, debounced
  useEffect(() => {
    if (text.trim() === search) return;
    const id = setTimeout(() => setParams({ q: text.trim() || null }), 300);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const counts = useQuery(trpc.records.counts.queryOptions({ flowId }));
  const list = useInfiniteQuery(
    trpc.records.list.infiniteQueryOptions({ flowId, search: search || undefined, status, limit: 50 }, { getNextPageParam: (p) => p.nextCursor, placeholderData: (p) => p }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const toggle = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Card className="overflow-hidden" >
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3" data-testid="records-toolbar">
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ q: text.trim() || null });
          }}
        >
          <input
            type="search"
            className={`${inputClass} w-96!`}
            placeholder={t("records.searchPlaceholder")}
            aria-label={t("records.searchPlaceholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="records-search"
          />
        </form>
        <div className="flex flex-wrap items-center gap-1">
          <button
            type="button"
            aria-pressed={!status}
            onClick={() => setParams({ status: null })}
            className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset ${!status ? "bg-slate-800 text-white ring-slate-800" : "bg-white text-slate-600 ring-slate-300 hover:bg-slate-50"}`}
          >
            {t("records.all")} {counts.data ? formatCount(counts.data.total) : ""}
          </button>
          {STATUSES.filter((s) => s === "written" || s === "failed" || s === "invalid" || (counts.data?.[s] ?? 0) > 0).map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={status === s}
              onClick={() => setParams({ status: status === s ? null : s })}
              data-testid={`records-filter-${s}`}
              className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset ${status === s ? "bg-slate-800 text-white ring-slate-800" : "bg-white text-slate-600 ring-slate-300 hover:bg-slate-50"}`}
            >
              {t(`record.status.${s}` as MessageKey)} {counts.data ? formatCount(counts.data[s]) : ""}
            </button>
          ))}
        </div>
        <div className="ml-auto">
          <RepushButton parentRunId={latestRunId} sourceIds={[...picked]} onDone={() => setPicked(new Set())} />
        </div>
      </div>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState message={list.error.message} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        search || status ? (
          <EmptyState icon="⌕" title={t("records.empty.searchTitle")} body={t("records.empty.searchBody", { q: search || t(`record.status.${status ?? "written"}` as MessageKey) })} />
        ) : (
          <EmptyState icon="▤" title={t("records.empty.title")} body={t("records.empty.body")} />
        )
      ) : (
        <table className="w-full text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-500">
            <tr>
              <th className="w-10 px-4 py-2">
                <span className="sr-only">{t("records.pick")}</span>
              </th>
              <th className="px-2 py-2">{t("records.col.number")}</th>
              <th className="px-2 py-2">{t("records.col.sourceId")}</th>
              <th className="px-2 py-2">{t("records.col.status")}</th>
              <th className="px-2 py-2">{t("records.col.target")}</th>
              <th className="px-2 py-2 text-right">{t("records.col.attempts")}</th>
              <th className="px-2 py-2">{t("records.col.error")}</th>
              <th className="px-4 py-2">{t("records.col.updated")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((r) => {
              const href = `/flows/${flowId}/records/${encodeURIComponent(r.sourceId)}`;
              return (
                <tr key={r.sourceId} className="hover:bg-slate-50" data-testid="record-row" data-source-id={r.sourceId} data-number={r.number ?? ""}>
                  <td className="px-4 py-2">
                    <input type="checkbox" aria-label={t("runs.problems.pick", { id: r.number ?? r.sourceId })} checked={picked.has(r.sourceId)} onChange={() => toggle(r.sourceId)} />
                  </td>
                  <td className="px-2 py-2">
                    <Link href={href} className="font-medium text-brand-700 hover:underline" data-testid="record-link">
                      {r.number ?? "—"}
                    </Link>
                  </td>
                  <td className="px-2 py-2 font-mono text-xs text-slate-500">{r.sourceId}</td>
                  <td className="px-2 py-2">
                    <RecordStatusBadge status={r.status} />
                  </td>
                  <td className="px-2 py-2 font-mono text-xs text-slate-600">{r.targetNumber ?? r.targetId ?? "—"}</td>
                  <td className="px-2 py-2 text-right font-mono text-xs text-slate-600">{r.attempts}</td>
                  <td className="max-w-xs truncate px-2 py-2 text-xs text-red-700" title={r.lastError ?? undefined}>
                    {r.lastError ?? ""}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-500">{formatDateTime(r.updatedAt, locale)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <LoadMore query={list} />
    </Card>
  );
}
