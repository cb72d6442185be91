"use client";
/**
 * The timeline of a run: when each source page arrived and each target batch was written (plus
 * retries and rate limits), on one time axis from the run's start.
 *
 * Why: "why was it slow?" is answered by seeing gaps between pages (source throttling) or long batch
 * writes (target), not by reading the log line by line.
 */
import { useMemo } from "react";
import { useI18n } from "../i18n/provider";
import { formatCount, formatDuration } from "../ui/format";
import { EmptyState } from "../ui/primitives";
import type { RunEvent, RunEventsState } from "./use-run-events";

const KINDS: Record<string, { color: string; lane: number }> = {
  "page.fetched": { color: "bg-sky-500", lane: 0 },
  "batch.written": { color: "bg-emerald-500", lane: 1 },
  retry: { color: "bg-amber-500", lane: 2 },
  rate_limited: { color: "bg-amber-500", lane: 2 },
  "record.failed": { color: "bg-red-500", lane: 2 },
};
const MAX_ITEMS = 400;

export function RunTimeline({ state }: { state: RunEventsState }) {
  const { t } = useI18n();
  const { store, version } = state;
  const data = useMemo(() => {
    const all = store.events;
    if (!all.length) return null;
    const start = Date.parse(all[0].createdAt);
    const end = Math.max(start + 1, Date.parse(all[all.length - 1].createdAt));
    const items: (RunEvent & { at: number })[] = [];
    let dropped = 0;
    for (const e of all) {
      if (!(e.type in KINDS)) continue;
      if (items.length >= MAX_ITEMS) {
        dropped++;
        continue;
      }
      items.push({ ...e, at: Date.parse(e.createdAt) - start });
    }
    return { span: end - start, items, dropped };
  }, [store, version]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!data || data.items.length === 0) return <EmptyState icon="⏱" title={t("runs.timeline.empty")} />;
  const lanes = [t("runs.timeline.pages"), t("runs.timeline.batches"), t("runs.timeline.problems")];
  const list = data.items.filter((e) => e.type === "page.fetched" || e.type === "batch.written").slice(-200).reverse();
  return (
    <div className="px-5 py-4" data-testid="run-timeline">
      <div className="space-y-2">
        {lanes.map((label, lane) => (
          <div key={label} className="flex items-center gap-3">
            <span className="w-20 shrink-0 text-xs text-slate-500">{label}</span>
            <div className="relative h-5 flex-1 rounded bg-slate-100">
              {data.items
                .filter((e) => KINDS[e.type].lane === lane)
                .map((e) => (
                  <span
                    key={e.seq}
                    title={`+${formatDuration(e.at)} ${e.message}`}
                    className={`absolute top-0.5 h-4 w-1 rounded-sm ${KINDS[e.type].color}`}
                    style={{ left: `calc(${(e.at / data.span) * 100}% - 2px)` }}
                  />
                ))}
            </div>
          </div>
        ))}
        <div className="flex justify-between pl-23 text-[11px] text-slate-400">
          <span>0</span>
          <span>{formatDuration(data.span)}</span>
        </div>
      </div>
      <table className="mt-4 w-full text-xs">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">{t("runs.timeline.at")}</th>
            <th className="py-1 pr-3 font-medium">{t("runs.timeline.what")}</th>
            <th className="py-1 text-right font-medium">{t("runs.timeline.records")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.map((e) => {
            const d = e.data ?? {};
            const n = e.type === "page.fetched" ? Number(d.records ?? 0) : Number(d.written ?? 0);
            const failed = e.type === "batch.written" ? Number(d.failed ?? 0) : 0;
            return (
              <tr key={e.seq}>
                <td className="py-1 pr-3 font-mono text-slate-500">+{formatDuration(e.at)}</td>
                <td className="py-1 pr-3 text-slate-700">
                  <span className={`mr-2 inline-block h-2 w-2 rounded-full ${KINDS[e.type].color}`} />
                  {e.type === "page.fetched" ? t("runs.timeline.page", { n: Number(d.page ?? 0) + 1 }) : t("runs.timeline.batch")}
                </td>
                <td className="py-1 text-right font-mono text-slate-700">
                  {formatCount(n)}
                  {failed ? <span className="ml-1 text-red-600">({t("runs.timeline.failedN", { n: failed })})</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.dropped ? <p className="mt-2 text-xs text-slate-400">{t("runs.timeline.truncated", { n: formatCount(data.dropped) })}</p> : null}
    </div>
  );
}
