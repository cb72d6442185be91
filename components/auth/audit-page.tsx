"use client";
/**
 * 审计日志 (admins only): who did what and when — filters by actor, action, entity type and date range,
 * newest first, cursor paging with 加载更多. Read-only: the log is append-only from the app.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC, type RouterInputs } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Badge, Button, Card, EmptyState, ErrorState, LoadMore, LoadingState, PageHeader, inputClass } from "../ui/primitives";
import { RequireCap } from "./require";

type Filters = Omit<Exclude<RouterInputs["audit"]["list"], void | undefined>, "cursor">;

/** Entity types the server records — the router names (server/auth/audit.ts auditEntity); suggestions only. */
const ENTITY_TYPES = ["flows", "runs", "connections", "schedules", "users", "settings", "qeasy"];

export function AuditPage() {
  return (
    <RequireCap cap="audit.read">
      <AuditScreen />
    </RequireCap>
  );
}

/**
 * A yyyy-mm-dd from an <input type="date"> as the start of that day in local time, or for the end of the
 * range the start of the next day (the server's `to` is exclusive), so "to 12-04" includes all of 12-04.
 */
function dayBound(value: string, end: boolean): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setDate(d.getDate() + 1);
  return d;
}

function details(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function AuditScreen() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const [form, setForm] = useState({ actor: "", action: "", entityType: "", from: "", to: "" });
  const [filters, setFilters] = useState<Filters>({});
  const log = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions(filters, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  function apply(e: FormEvent) {
    e.preventDefault();
    const f: Filters = {};
    if (form.actor.trim()) f.actor = form.actor.trim();
    if (form.action.trim()) f.action = form.action.trim();
    if (form.entityType.trim()) f.entityType = form.entityType.trim();
    const from = dayBound(form.from, false);
    const to = dayBound(form.to, true);
    if (from) f.from = from;
    if (to) f.to = to;
    setFilters(f);
  }
  function reset() {
    setForm({ actor: "", action: "", entityType: "", from: "", to: "" });
    setFilters({});
  }
  const input = (key: keyof typeof form, label: string, type = "text", list?: string, placeholder?: string) => (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
      {label}
      <input type={type} list={list} placeholder={placeholder} value={form[key]} onChange={(e) => setForm((s) => ({ ...s, [key]: e.target.value }))} className={inputClass} data-testid={`audit-filter-${key}`} />
    </label>
  );

  return (
    <div className="mx-auto max-w-7xl px-8 py-8">
      <PageHeader title={t("audit.title")} subtitle={t("audit.subtitle")} />
      <Card className="mb-4 p-4">
        <form onSubmit={apply} className="grid grid-cols-2 items-end gap-3 md:grid-cols-6" data-testid="audit-filters">
          {input("actor", t("audit.filter.actor"))}
          {input("action", t("audit.filter.action"), "text", undefined, t("audit.filter.actionHint"))}
          {input("entityType", t("audit.filter.entityType"), "text", "audit-entity-types")}
          {input("from", t("audit.filter.from"), "date")}
          {input("to", t("audit.filter.to"), "date")}
          <datalist id="audit-entity-types">
            {ENTITY_TYPES.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" data-testid="audit-apply">
              {t("audit.filter.apply")}
            </Button>
            <Button onClick={reset}>{t("audit.filter.reset")}</Button>
          </div>
        </form>
      </Card>
      <Card>
        {log.isPending ? (
          <LoadingState />
        ) : log.isError ? (
          <ErrorState message={log.error.message} onRetry={() => void log.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={t("audit.empty")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="audit-table">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-4 py-3 font-medium">{t("audit.col.at")}</th>
                  <th className="px-4 py-3 font-medium">{t("audit.col.actor")}</th>
                  <th className="px-4 py-3 font-medium">{t("audit.col.action")}</th>
                  <th className="px-4 py-3 font-medium">{t("audit.col.entity")}</th>
                  <th className="px-4 py-3 font-medium">{t("audit.col.details")}</th>
                  <th className="px-4 py-3 font-medium">{t("audit.col.ip")}</th>
                  <th className="px-4 py-3 font-medium">{t("audit.col.result")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((a) => (
                  <tr key={a.id} data-testid="audit-row" data-action={a.action}>
                    <td className="whitespace-nowrap px-4 py-2 text-slate-500">{formatDateTime(a.at, locale)}</td>
                    <td className="px-4 py-2 text-slate-800">{a.actor}</td>
                    <td className="px-4 py-2 font-mono text-xs text-slate-800">{a.action}</td>
                    <td className="px-4 py-2 text-xs text-slate-600">
                      {a.entityType ? <span className="font-medium">{a.entityType}</span> : null}
                      {a.entityId ? <span className="ml-1 font-mono text-slate-400">{a.entityId}</span> : null}
                    </td>
                    <td className="max-w-md truncate px-4 py-2 font-mono text-xs text-slate-600" title={details(a.details)}>
                      {details(a.details)}
                    </td>
                    <td className="px-4 py-2 font-mono text-xs text-slate-500">{a.ip ?? ""}</td>
                    <td className="px-4 py-2">{a.ok ? <Badge tone="green">{t("audit.ok")}</Badge> : <Badge tone="red">{t("audit.failed")}</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore query={log} testId="audit-load-more" />
      </Card>
    </div>
  );
}
