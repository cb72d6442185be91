"use client";
/**
 * A scheme's schedule: what it is in words, when it runs next, pause / resume, and an editor with a
 * live preview of the next five times (Asia/Shanghai by default) before saving.
 *
 * Why a preview: a cron expression is easy to get subtly wrong ("0 2 * * *" vs "* 2 * * *"); seeing
 * "每天 02:00" and five concrete times catches it before a customer's ERP gets 60 runs in an hour.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useCan } from "../auth/session";
import { useTRPC } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Badge, Button, Card, Dialog, ErrorState, Field, inputClass } from "../ui/primitives";
import { RunStatusBadge } from "../runs/status";

const PRESETS: { cron: string; key: "every15" | "hourly" | "daily2" | "weekday9" }[] = [
  { cron: "0 */15 * * * *", key: "every15" },
  { cron: "0 0 * * * *", key: "hourly" },
  { cron: "0 0 2 * * *", key: "daily2" },
  { cron: "0 0 9 * * 1-5", key: "weekday9" },
];

/** A time in the schedule's own zone (falls back to Asia/Shanghai while a zone is being typed). */
function formatIn(d: Date | string, tz: string, locale: string): string {
  const opts = { hour12: false, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" } as const;
  const lang = locale === "zh" ? "zh-CN" : "en-GB";
  try {
    return new Date(d).toLocaleString(lang, { ...opts, timeZone: tz });
  } catch {
    return new Date(d).toLocaleString(lang, { ...opts, timeZone: "Asia/Shanghai" });
  }
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function SchedulePanel({ flowId }: { flowId: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const s = useQuery(trpc.schedules.get.queryOptions({ flowId }, { refetchInterval: 10_000 }));
  const canEdit = useCan("schedules.edit");
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const onSaved = () => {
    void qc.invalidateQueries({ queryKey: trpc.schedules.get.queryKey({ flowId }) });
    void qc.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  };
  const pause = useMutation(trpc.schedules.pause.mutationOptions({ onSuccess: onSaved }));
  const resume = useMutation(trpc.schedules.resume.mutationOptions({ onSuccess: onSaved }));
  const remove = useMutation(trpc.schedules.remove.mutationOptions({ onSuccess: () => (onSaved(), setConfirmRemove(false)) }));

  if (s.isPending)
    return (
      <Card className="px-5 py-4">
        <div className="h-5 w-48 animate-pulse rounded bg-slate-100" />
      </Card>
    );
  if (s.isError) return <ErrorState message={s.error.message} onRetry={() => void s.refetch()} />;
  const d = s.data;
  const description = d.description ? (locale === "zh" ? d.description.zh : d.description.en) : null;
  const mutError = pause.error?.message ?? resume.error?.message ?? null;

  return (
    <Card className="px-5 py-4">
      <div data-testid="schedule-panel">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex items-center gap-2">
            <h2 className="text-sm font-semibold text-slate-900">{t("schedule.title")}</h2>
            {d.cron ? d.paused ? <Badge tone="amber">{t("schedule.paused")}</Badge> : <Badge tone="green">{t("schedule.active")}</Badge> : <Badge>{t("schedule.none")}</Badge>}
          </div>
          {d.cron ? (
            <div className="mt-1.5 text-sm text-slate-600">
              <span className="font-medium text-slate-800" data-testid="schedule-description">
                {description ?? d.cron}
              </span>
              <code className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" data-testid="schedule-cron">
                {d.cron}
              </code>
              <span className="ml-2 text-xs text-slate-400">{d.timezone}</span>
              {d.nextRunAt ? (
                <p className="mt-1 text-xs text-slate-500" data-testid="schedule-next">
                  {t("schedule.nextAt", { at: formatDateTime(d.nextRunAt, locale) })}
                </p>
              ) : null}
            </div>
          ) : (
            <p className="mt-1.5 text-sm text-slate-500">{t("schedule.noneBody")}</p>
          )}
          {d.lastScheduledRun ? (
            <p className="mt-1 flex items-center gap-2 text-xs text-slate-500">
              {t("schedule.lastRun")}
              <Link href={`/runs/${d.lastScheduledRun.id}`} className="text-brand-700 hover:underline" data-testid="schedule-last-run">
                {formatDateTime(d.lastScheduledRun.createdAt, locale)}
              </Link>
              <RunStatusBadge status={d.lastScheduledRun.status} />
            </p>
          ) : null}
          {mutError ? <p className="mt-1 text-xs text-red-600">{mutError}</p> : null}
        </div>
        <div className="flex items-center gap-2" hidden={!canEdit}>
          {d.cron && !d.paused ? (
            <Button onClick={() => pause.mutate({ flowId })} disabled={pause.isPending} data-testid="schedule-pause">
              {t("schedule.pause")}
            </Button>
          ) : null}
          {d.cron && d.paused ? (
            <Button onClick={() => resume.mutate({ flowId })} disabled={resume.isPending} data-testid="schedule-resume">
              {t("schedule.resume")}
            </Button>
          ) : null}
          {d.cron ? (
            <Button variant="ghost" onClick={() => setConfirmRemove(true)} data-testid="schedule-remove">
              {t("schedule.remove")}
            </Button>
          ) : null}
          <Button variant={d.cron ? "secondary" : "primary"} onClick={() => setEditing(true)} disabled={!d.runnable} data-testid="schedule-edit">
            {d.cron ? t("schedule.edit") : t("schedule.set")}
          </Button>
        </div>
      </div>
      {editing ? <ScheduleEditor flowId={flowId} initialCron={d.cron ?? "0 0 2 * * *"} initialTz={d.timezone} onClose={() => setEditing(false)} onSaved={onSaved} /> : null}
      <Dialog
        open={confirmRemove}
        onClose={() => setConfirmRemove(false)}
        title={t("schedule.remove.title")}
        footer={
          <>
            <Button onClick={() => setConfirmRemove(false)}>{t("common.cancel")}</Button>
            <Button variant="danger" onClick={() => remove.mutate({ flowId })} disabled={remove.isPending} data-testid="schedule-remove-confirm">
              {t("schedule.remove")}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-700">{t("schedule.remove.body")}</p>
      </Dialog>
      </div>
    </Card>
  );
}

function ScheduleEditor({ flowId, initialCron, initialTz, onClose, onSaved }: { flowId: string; initialCron: string; initialTz: string; onClose: () => void; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const [cron, setCron] = useState(initialCron);
  const [tz, setTz] = useState(initialTz || "Asia/Shanghai");
  const dCron = useDebounced(cron, 250);
  const dTz = useDebounced(tz, 250);
  const preview = useQuery(trpc.schedules.preview.queryOptions({ cron: dCron, timezone: dTz }, { placeholderData: (p) => p }));
  const save = useMutation(
    trpc.schedules.set.mutationOptions({
      onSuccess: () => {
        onSaved();
        onClose();
      },
    }),
  );
  const p = preview.data;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("schedule.editor.title")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button variant="primary" onClick={() => save.mutate({ flowId, cron: cron.trim(), timezone: tz.trim() })} disabled={save.isPending || !p?.ok || dCron !== cron} data-testid="schedule-save">
            {t("common.save")}
          </Button>
        </>
      }
    >
      <div className="mb-3 flex flex-wrap gap-1.5">
        {PRESETS.map((pr) => (
          <button key={pr.key} type="button" onClick={() => setCron(pr.cron)} className={`rounded-full px-2.5 py-1 text-xs ring-1 ring-inset ${cron === pr.cron ? "bg-brand-50 text-brand-700 ring-brand-500" : "text-slate-600 ring-slate-300 hover:bg-slate-50"}`}>
            {t(`schedule.preset.${pr.key}` as MessageKey)}
          </button>
        ))}
      </div>
      <Field label={t("schedule.editor.cron")} htmlFor="schedule-cron" hint={t("schedule.editor.cronHint")}>
        <input id="schedule-cron" className={`${inputClass} font-mono`} value={cron} onChange={(e) => setCron(e.target.value)} data-testid="schedule-cron-input" autoComplete="off" />
      </Field>
      <Field label={t("schedule.editor.tz")} htmlFor="schedule-tz">
        <input id="schedule-tz" className={inputClass} value={tz} onChange={(e) => setTz(e.target.value)} list="schedule-tz-list" />
        <datalist id="schedule-tz-list">
          <option value="Asia/Shanghai" />
          <option value="Asia/Hong_Kong" />
          <option value="UTC" />
        </datalist>
      </Field>
      <div className="rounded-md bg-slate-50 p-3 text-sm" data-testid="schedule-preview" aria-live="polite">
        {!p ? (
          <p className="text-slate-400">{t("common.loading")}</p>
        ) : p.ok ? (
          <>
            <p className="font-medium text-slate-800" data-testid="schedule-preview-description">
              {p.description ? (locale === "zh" ? p.description.zh : p.description.en) : cron}
            </p>
            <p className="mt-2 text-xs text-slate-500">{t("schedule.editor.nextFive", { tz: dTz })}</p>
            <ol className="mt-1 space-y-0.5 font-mono text-xs text-slate-700">
              {p.next.map((d) => (
                <li key={String(d)} data-testid="schedule-preview-time">
                  {formatIn(d, dTz, locale)}
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="text-red-700" role="alert" data-testid="schedule-preview-error">
            {p.error}
          </p>
        )}
      </div>
      {save.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {save.error.message}
        </p>
      ) : null}
    </Dialog>
  );
}
