"use client";
/**
 * The connections, monitor and settings screens (first versions: lists and system information).
 */
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useTRPC } from "../trpc/client";
import { Badge, Card, EmptyState, ErrorState, LoadingState, PageHeader } from "../ui/primitives";

export function ConnectionsPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.system.connections.queryOptions());
  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <PageHeader title={t("connections.title")} subtitle={t("connections.subtitle")} />
      <Card>
        {q.isPending ? (
          <LoadingState />
        ) : q.isError ? (
          <ErrorState message={q.error.message} onRetry={() => void q.refetch()} />
        ) : q.data.length === 0 ? (
          <EmptyState icon="⛓" title={t("connections.empty.title")} body={t("connections.empty.body")} />
        ) : (
          <table className="w-full text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">{t("connections.col.name")}</th>
                <th className="px-4 py-3">{t("connections.col.vendor")}</th>
                <th className="px-4 py-3">{t("connections.col.baseUrl")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {q.data.map((c) => (
                <tr key={c.id} data-testid="connection-row">
                  <td className="px-4 py-3 font-medium text-slate-900">
                    {c.name} {c.sandbox ? <Badge tone="violet">{t("connections.sandbox")}</Badge> : null}
                  </td>
                  <td className="px-4 py-3 text-slate-600">{t(`vendor.${c.vendor}` as MessageKey)}</td>
                  <td className="px-4 py-3 font-mono text-xs text-slate-500">{c.baseUrl}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

export function MonitorPage() {
  const { t } = useI18n();
  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <PageHeader title={t("monitor.title")} subtitle={t("monitor.subtitle")} />
      <Card>
        <EmptyState icon="↗" title={t("monitor.empty.title")} body={t("monitor.empty.body")} />
      </Card>
    </div>
  );
}

export function SettingsPage() {
  const { t, locale, setLocale } = useI18n();
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  return (
    <div className="mx-auto max-w-3xl px-8 py-8">
      <PageHeader title={t("settings.title")} subtitle={t("settings.subtitle")} />
      <Card className="divide-y divide-slate-100">
        <div className="flex items-center justify-between px-5 py-4">
          <label htmlFor="locale" className="text-sm font-medium text-slate-700">
            {t("settings.language")}
          </label>
          <select id="locale" value={locale} onChange={(e) => setLocale(e.target.value === "en" ? "en" : "zh")} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <div className="flex items-center justify-between px-5 py-4 text-sm">
          <span className="font-medium text-slate-700">{t("settings.database")}</span>
          <span className="font-mono text-xs text-slate-500">{info.data ? (info.data.provider === "sqlite" ? `SQLite · ${info.data.dataDir}` : "PostgreSQL") : "…"}</span>
        </div>
      </Card>
    </div>
  );
}
