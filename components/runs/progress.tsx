"use client";
/**
 * Progress of a run while it runs: records read against the source's reported total (when the source
 * reports one), pages, batches and the rate in records per second — from the live events, with the
 * run row's committed counts as the floor.
 *
 * Why from events: the run row is updated at each checkpoint; the events arrive as pages are fetched,
 * so the bar moves smoothly.
 */
import { useI18n } from "../i18n/provider";
import { formatCount } from "../ui/format";
import type { Progress } from "./use-run-events";

const doneColor: Record<string, string> = { succeeded: "bg-emerald-600", partial: "bg-amber-500", failed: "bg-red-500", cancelled: "bg-slate-400" };

/** `status` colours the finished bar; callers that only know `active` get the neutral finished colour. */
export function RunProgress({ progress, countRead, sourceTotal, pages, status, active: activeProp }: { progress: Progress; countRead: number; sourceTotal: number | null; pages: number; status?: string; active?: boolean }) {
  const active = status ? status === "running" || status === "queued" : activeProp === true;
  const fill = active ? "bg-brand-600" : status ? (doneColor[status] ?? "bg-slate-400") : "bg-emerald-600";
  const { t } = useI18n();
  const read = Math.max(progress.read, countRead);
  const total = progress.total ?? sourceTotal;
  const pct = total ? Math.min(100, Math.round((read / Math.max(total, 1)) * 1000) / 10) : null;
  const seconds = progress.firstAt && progress.lastAt ? Math.max(0.001, (progress.lastAt - progress.firstAt) / 1000) : null;
  const rate = seconds && read ? Math.round(read / seconds) : null;
  return (
    <div className="px-5 py-4" data-testid="run-progress" data-read={read} data-total={total ?? ""} data-pct={pct ?? ""}>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-800">
          {total ? t("runs.progress.readOf", { read: formatCount(read), total: formatCount(total) }) : t("runs.progress.read", { read: formatCount(read) })}
          {pct !== null ? <span className="ml-2 text-slate-500">{pct}%</span> : null}
        </span>
        <span className="text-xs text-slate-500">
          {t("runs.progress.pages", { n: formatCount(Math.max(progress.pages, pages)) })} · {t("runs.progress.batches", { n: formatCount(progress.batches) })}
          {rate !== null ? ` · ${t("runs.progress.rate", { n: formatCount(rate) })}` : ""}
        </span>
      </div>
      <div
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
        role="progressbar"
        aria-label={t("runs.progress.label")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        {pct !== null ? (
          <div className={`h-full rounded-full transition-[width] duration-300 ${fill}`} style={{ width: `${pct}%` }} data-testid="progress-fill" />
        ) : active ? (
          <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-300" />
        ) : (
          <div className={`h-full w-full rounded-full ${fill}`} />
        )}
      </div>
      {!total && active ? <p className="mt-1.5 text-xs text-slate-400">{t("runs.progress.noTotal")}</p> : null}
    </div>
  );
}
