"use client";
/**
 * The records a run left failed or invalid, with the reason (the vendor's message for a failed write,
 * the rule for an invalid record) and what became of each since; choose some and re-push them.
 *
 * Why: "what failed, fix it, push again" happens here — the analyst reads the Kingdee message, fixes
 * the data or the mapping, and re-pushes exactly those rows.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC } from "../trpc/client";
import { formatCount } from "../ui/format";
import { Badge, EmptyState, ErrorState, LoadMore, LoadingState } from "../ui/primitives";
import { RepushButton } from "./actions";
import { RecordStatusBadge } from "./status";

export function RunProblems({ runId, flowId, active, failed, invalid }: { runId: string; flowId: string; active: boolean; failed: number; invalid: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [status, setStatus] = useState<"failed" | "invalid" | undefined>(undefined);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const q = useInfiniteQuery(
    trpc.runs.problems.infiniteQueryOptions(
      { runId, status, limit: 100 },
      { getNextPageParam: (p) => p.nextCursor, refetchInterval: active ? 3000 : false },
    ),
  );
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const toggle = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const pickable = items.filter((i) => i.currentStatus !== "written");
  const allPicked = pickable.length > 0 && pickable.every((i) => picked.has(i.sourceId));

  return (
    <div data-testid="run-problems">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3">
        {([undefined, "failed", "invalid"] as const).map((s) => (
          <button
            key={s ?? "all"}
            type="button"
            aria-pressed={status === s}
            onClick={() => {
              setStatus(s);
              setPicked(new Set());
            }}
            className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset ${status === s ? "bg-slate-800 text-white ring-slate-800" : "bg-white text-slate-600 ring-slate-300 hover:bg-slate-50"}`}
          >
            {s === undefined ? t("runs.problems.all", { n: formatCount(failed + invalid) }) : s === "failed" ? t("runs.problems.failed", { n: formatCount(failed) }) : t("runs.problems.invalid", { n: formatCount(invalid) })}
          </button>
        ))}
        <div className="ml-auto">
          <RepushButton parentRunId={runId} sourceIds={[...picked]} onDone={() => setPicked(new Set())} />
        </div>
      </div>
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState message={q.error.message} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState icon="✓" title={t("runs.problems.empty")} body={active ? t("runs.problems.emptyActive") : t("runs.problems.emptyBody")} />
      ) : (
        <table className="w-full text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-500">
            <tr>
              <th className="w-10 px-4 py-2">
                <input
                  type="checkbox"
                  aria-label={t("runs.problems.pickAll")}
                  checked={allPicked}
                  onChange={() => setPicked(allPicked ? new Set() : new Set(pickable.map((i) => i.sourceId)))}
                />
              </th>
              <th className="px-2 py-2">{t("runs.problems.record")}</th>
              <th className="px-2 py-2">{t("runs.problems.outcome")}</th>
              <th className="px-2 py-2">{t("runs.problems.reason")}</th>
              <th className="px-2 py-2">{t("runs.problems.now")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((p) => (
              <tr key={p.historyId} data-testid="problem-row" data-source-id={p.sourceId} data-status={p.status} data-current={p.currentStatus ?? ""}>
                <td className="px-4 py-2 align-top">
                  <input type="checkbox" aria-label={t("runs.problems.pick", { id: p.number ?? p.sourceId })} checked={picked.has(p.sourceId)} onChange={() => toggle(p.sourceId)} />
                </td>
                <td className="px-2 py-2 align-top">
                  <Link href={`/flows/${flowId}/records/${encodeURIComponent(p.sourceId)}`} className="font-medium text-brand-700 hover:underline">
                    {p.number ?? p.sourceId}
                  </Link>
                  {p.number ? <span className="ml-2 font-mono text-xs text-slate-400">#{p.sourceId}</span> : null}
                </td>
                <td className="px-2 py-2 align-top">
                  <RecordStatusBadge status={p.status} />
                </td>
                <td className="max-w-xl px-2 py-2 align-top text-slate-700" data-testid="problem-reason">
                  <span className="break-words">{p.reason ?? "—"}</span>
                  {p.attempts > 1 ? <span className="ml-2 text-xs text-slate-400">{t("runs.problems.attempts", { n: p.attempts })}</span> : null}
                </td>
                <td className="px-2 py-2 align-top" data-testid="problem-now">
                  {p.currentStatus && p.currentRunId !== runId ? (
                    <span className="flex items-center gap-1.5">
                      <RecordStatusBadge status={p.currentStatus} />
                      {p.currentRunId ? (
                        <Link href={`/runs/${p.currentRunId}`} className="text-xs text-brand-700 hover:underline">
                          {t("runs.problems.byRun")}
                        </Link>
                      ) : null}
                    </span>
                  ) : (
                    <Badge tone="gray">{t(`record.status.${p.currentStatus ?? p.status}` as MessageKey)}</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore query={q} />
    </div>
  );
}
