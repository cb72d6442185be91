"use client";
/**
 * 监控: health of every scheme over a chosen period — success rate, records moved, what the ledger
 * still holds as failed / invalid / unsettled, and the runs that need attention.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useI18n } from "../i18n/provider";
import { RunStatusBadge } from "../runs/status";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { formatCount, formatDateTime } from "../ui/format";
import { Badge, Card, EmptyState, ErrorState, LoadingState, PageHeader } from "../ui/primitives";

type Range = "24h" | "7d" | "30d";
type FlowHealth = RouterOutputs["monitor"]["overview"]["flows"][number];

function percent(rate: number | null): string {
  return rate == null ? "—" : `${Math.round(rate * 1000) / 10}%`;
}

function RateBar({ rate }: { rate: number | null }) {
  if (rate == null) return <span className="text-xs text-slate-400">—</span>;
  const colour = rate >= 0.95 ? "bg-emerald-500" : rate >= 0.7 ? "bg-amber-500" : "bg-red-500";
  return (
    <div className="flex items-center gap-2">
      <div className="h-1.5 w-24 overflow-hidden rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(rate * 100)}>
        <div className={`h-full ${colour}`} style={{ width: `${Math.max(2, rate * 100)}%` }} />
      </div>
      <span className="font-mono text-xs text-slate-600">{percent(rate)}</span>
    </div>
  );
}

export function MonitorPage() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("24h");
  const q = useQuery(trpc.monitor.overview.queryOptions({ range }, { refetchInterval: (s) => (s.state.data?.totals.active ? 3000 : 30_000) }));

  const rangeButtons = (
    <div className="inline-flex rounded-md shadow-sm" role="group" aria-label={t("monitor.title")}>
      {(["24h", "7d", "30d"] as Range[]).map((r, i) => (
        <button
          key={r}
          type="button"
          onClick={() => setRange(r)}
          aria-pressed={range === r}
          className={`px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus-visible:outline-2 focus-visible:outline-brand-500 ${i === 0 ? "rounded-l-md" : ""} ${i === 2 ? "rounded-r-md" : "-ml-px"} ${range === r ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          {t(`monitor.range.${r}`)}
        </button>
      ))}
    </div>
  );

  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      <PageHeader title={t("monitor.title")} subtitle={t("monitor.subtitle")} actions={rangeButtons} />
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState message={q.error.message} onRetry={() => void q.refetch()} />
      ) : q.data.flows.length === 0 ? (
        <Card>
          <EmptyState icon="↗" title={t("monitor.empty.title")} body={t("monitor.empty.body")} />
        </Card>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Stat label={t("monitor.card.runs")} value={formatCount(q.data.totals.runs)} note={q.data.totals.active ? t("monitor.card.active", { n: q.data.totals.active }) : undefined} testId="monitor-runs" />
            <Stat label={t("monitor.card.successRate")} hint={t("monitor.card.successRateHelp")} value={percent(q.data.totals.successRate)} testId="monitor-rate" />
            <Stat label={t("monitor.card.written")} value={formatCount(q.data.totals.written)} testId="monitor-written" />
            <Stat label={t("monitor.card.failedRows")} value={`${formatCount(q.data.totals.failedRows)} / ${formatCount(q.data.totals.invalidRows)}`} tone={q.data.totals.failedRows + q.data.totals.invalidRows ? "text-red-600" : undefined} testId="monitor-failed" />
          </div>

          <h2 className="mb-3 mt-8 text-sm font-semibold text-slate-700">{t("monitor.flows")}</h2>
          <Card>
            <table className="w-full text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-4 py-3">{t("monitor.col.flow")}</th>
                  <th className="px-4 py-3">{t("monitor.col.runs")}</th>
                  <th className="px-4 py-3">{t("monitor.col.rate")}</th>
                  <th className="px-4 py-3">{t("monitor.col.lastSuccess")}</th>
                  <th className="px-4 py-3">{t("monitor.col.ledger")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {q.data.flows.map((f) => (
                  <FlowRow key={f.id} f={f} locale={locale} />
                ))}
              </tbody>
            </table>
          </Card>

          <h2 className="mb-3 mt-8 text-sm font-semibold text-slate-700">{t("monitor.attention")}</h2>
          <Card>
            {q.data.attention.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-500">{t("monitor.attention.empty")}</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {q.data.attention.map((r) => (
                  <li key={r.id} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm" data-testid="attention-row">
                    <RunStatusBadge status={r.status} />
                    <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                      {r.flowName}
                    </Link>
                    <span className="text-xs text-slate-500">{formatDateTime(r.createdAt, locale)}</span>
                    <span className="text-xs text-slate-600">{t("monitor.attention.rows", { failed: r.countFailed, invalid: r.countInvalid })}</span>
                    {r.error ? <span className="w-full truncate text-xs text-red-700">{r.error}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      )}
    </div>
  );
}

function Stat({ label, hint, value, note, tone, testId }: { label: string; hint?: string; value: string; note?: string; tone?: string; testId: string }) {
  return (
    <Card className="px-5 py-4">
      <p className="text-xs text-slate-500" title={hint}>
        {label}
      </p>
      <p className={`mt-1 text-2xl font-semibold ${tone ?? "text-slate-900"}`} data-testid={testId}>
        {value}
      </p>
      {note ? <p className="mt-1 text-xs text-blue-700">{note}</p> : null}
    </Card>
  );
}

function FlowRow({ f, locale }: { f: FlowHealth; locale: "zh" | "en" }) {
  const { t } = useI18n();
  const outstanding = f.ledger.failed + f.ledger.invalid;
  return (
    <tr className="hover:bg-slate-50" data-testid="monitor-flow-row">
      <td className="px-4 py-3">
        <Link href={`/flows/${f.id}`} className="font-medium text-brand-700 hover:underline">
          {f.name}
        </Link>
        {f.scheduled ? (
          <span className="ml-2">
            <Badge tone="violet">{t("monitor.scheduled")}</Badge>
          </span>
        ) : null}
      </td>
      <td className="px-4 py-3 font-mono text-xs text-slate-600">
        {f.runs ? (
          <>
            {f.runs} (<span className="text-emerald-700">{f.succeeded}</span> / <span className="text-amber-700">{f.partial}</span> / <span className="text-red-600">{f.failed}</span>)
          </>
        ) : (
          t("monitor.noRuns")
        )}
      </td>
      <td className="px-4 py-3">
        <RateBar rate={f.successRate} />
      </td>
      <td className="px-4 py-3 text-xs text-slate-500">{f.lastSuccessAt ? formatDateTime(f.lastSuccessAt, locale) : "—"}</td>
      <td className="px-4 py-3 text-xs">
        <span className="font-mono text-slate-700">{formatCount(f.ledger.written)}</span>
        <span className="mx-1 text-slate-300">/</span>
        {outstanding ? (
          <span className="text-red-600">{t("monitor.ledger.outstanding", { failed: f.ledger.failed, invalid: f.ledger.invalid })}</span>
        ) : f.ledger.total ? (
          <span className="text-emerald-700">{t("monitor.ledger.clean")}</span>
        ) : (
          <span className="text-slate-400">—</span>
        )}
        {f.ledger.unsettled ? <span className="ml-2 text-amber-700">{t("monitor.ledger.unsettled", { n: f.ledger.unsettled })}</span> : null}
      </td>
    </tr>
  );
}
