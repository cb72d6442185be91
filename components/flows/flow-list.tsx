"use client";
/**
 * 方案列表: every scheme with its version and last run (status and time); search, create (blank or
 * from one of the seed-scenario templates), duplicate, export, import (a Shuqiao scheme file or a
 * Qeasy source + target config pair) and delete with confirmation.
 *
 * Why this exists: it is the front door of the product — where an analyst finds a scheme, starts a new
 * one from a working template in one click, or brings one over from Qeasy.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { useI18n } from "../i18n/provider";
import { RunStatusBadge } from "../runs/status";
import { useCan } from "../auth/session";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Badge, Button, Card, Dialog, EmptyState, ErrorState, Field, LoadingState, PageHeader, inputClass } from "../ui/primitives";

type FlowRow = RouterOutputs["flows"]["list"][number];
type ImportReport = RouterOutputs["flows"]["import"]["report"];

export function FlowList() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const canEdit = useCan("flows.edit");
  const canExport = useCan("flows.export");
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [toDelete, setToDelete] = useState<FlowRow | null>(null);
  const list = useQuery(trpc.flows.list.queryOptions(deferred ? { search: deferred } : undefined));
  const templates = useQuery({ ...trpc.flows.templates.queryOptions(), staleTime: Infinity });
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  const del = useMutation(
    trpc.flows.delete.mutationOptions({
      onSuccess: () => {
        setToDelete(null);
        refresh();
      },
    }),
  );
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions({ onSuccess: refresh }));
  const fromTemplate = useMutation(trpc.flows.fromTemplate.mutationOptions({ onSuccess: (r) => router.push(`/flows/${r.id}`) }));
  const exportFlow = async (f: FlowRow) => {
    const file = await qc.fetchQuery({ ...trpc.flows.export.queryOptions({ id: f.id }), staleTime: 0 });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }));
    a.download = `${file.name.replace(/[\\/:*?"<>|\s]+/g, "_")}.shuqiao.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <PageHeader
        title={t("flows.title")}
        subtitle={t("flows.subtitle")}
        actions={
          canEdit ? (
            <>
              <Button onClick={() => setImporting(true)} data-testid="import-flow">
                {t("flows.import")}
              </Button>
              <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-flow">
                + {t("flows.new")}
              </Button>
            </>
          ) : undefined
        }
      />
      {canEdit && templates.data?.length ? (
        <section className="mb-6" aria-labelledby="templates-title">
          <h2 id="templates-title" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
            {t("flows.templates")}
          </h2>
          <div className="grid gap-3 sm:grid-cols-2">
            {templates.data.map((tpl) => (
              <div key={tpl.id} className="flex items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="template-card">
                <div className="flex h-9 w-9 shrink-0 items-center justify-center rounded-md bg-brand-50 text-brand-700" aria-hidden>
                  ⇄
                </div>
                <div className="min-w-0 flex-1">
                  <p className="font-medium text-slate-900">{tpl.name}</p>
                  <p className="mt-0.5 line-clamp-2 text-xs text-slate-500">{tpl.description}</p>
                  <p className="mt-1.5 flex flex-wrap gap-1">
                    {tpl.nodeTypes.map((nt, i) => (
                      <span key={i} className="rounded bg-slate-100 px-1.5 py-0.5 text-[10px] text-slate-600">
                        {t(`node.${nt}` as "node.source")}
                      </span>
                    ))}
                  </p>
                </div>
                <Button onClick={() => fromTemplate.mutate({ templateId: tpl.id })} disabled={fromTemplate.isPending} data-testid={`use-template-${tpl.id}`}>
                  {t("flows.useTemplate")}
                </Button>
              </div>
            ))}
          </div>
          {fromTemplate.isError ? <p className="mt-2 text-sm text-red-600">{fromTemplate.error.message}</p> : null}
        </section>
      ) : null}
      <div className="mb-4">
        <label htmlFor="flow-search" className="sr-only">
          {t("common.search")}
        </label>
        <input id="flow-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("flows.searchPlaceholder")} className={`${inputClass} max-w-sm`} />
      </div>
      <Card>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState message={list.error.message} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <EmptyState
            icon="⇄"
            title={deferred ? t("flows.noMatch") : t("flows.empty.title")}
            body={deferred ? undefined : t("flows.empty.body")}
            action={
              canEdit ? (
                <Button variant="primary" onClick={() => setCreating(true)}>
                  + {t("flows.new")}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <table className="w-full text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">{t("flows.col.name")}</th>
                <th className="px-4 py-3">{t("flows.col.version")}</th>
                <th className="px-4 py-3">{t("flows.col.lastRun")}</th>
                <th className="px-4 py-3">{t("flows.col.updated")}</th>
                <th className="px-4 py-3 text-right">{t("flows.col.actions")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.map((f) => (
                <tr key={f.id} className="hover:bg-slate-50" data-testid="flow-row">
                  <td className="max-w-sm px-4 py-3">
                    <Link href={`/flows/${f.id}`} className="font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500">
                      {f.name}
                    </Link>
                    {f.description ? <p className="mt-0.5 line-clamp-1 text-xs text-slate-500">{f.description}</p> : null}
                  </td>
                  <td className="px-4 py-3 text-slate-600">v{f.currentVersion}</td>
                  <td className="px-4 py-3">
                    {f.lastRun ? (
                      <Link href={`/runs/${f.lastRun.id}`} className="flex items-center gap-2 hover:underline">
                        <RunStatusBadge status={f.lastRun.status} />
                        <span className="text-xs text-slate-500">{formatDateTime(f.lastRun.createdAt, locale)}</span>
                      </Link>
                    ) : (
                      <span className="text-xs text-slate-400">{t("common.never")}</span>
                    )}
                  </td>
                  <td className="px-4 py-3 text-xs text-slate-500">{formatDateTime(f.updatedAt, locale)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-right">
                    {canEdit ? (
                      <Button variant="ghost" onClick={() => duplicate.mutate({ id: f.id })} aria-label={`${t("flows.duplicate")} ${f.name}`} disabled={duplicate.isPending}>
                        {t("flows.duplicate")}
                      </Button>
                    ) : null}
                    {canExport ? (
                      <Button variant="ghost" onClick={() => void exportFlow(f)} aria-label={`${t("designer.export")} ${f.name}`}>
                        {t("designer.export")}
                      </Button>
                    ) : null}
                    {canEdit ? (
                      <Button variant="ghost" onClick={() => setToDelete(f)} aria-label={`${t("common.delete")} ${f.name}`}>
                        {t("common.delete")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <CreateFlowDialog open={creating} onClose={() => setCreating(false)} />
      {importing ? <ImportDialog open onClose={() => setImporting(false)} /> : null}
      <Dialog
        open={toDelete !== null}
        onClose={() => setToDelete(null)}
        title={t("common.delete")}
        footer={
          <>
            <Button onClick={() => setToDelete(null)}>{t("common.cancel")}</Button>
            <Button variant="danger" disabled={del.isPending} onClick={() => toDelete && del.mutate({ id: toDelete.id })} data-testid="confirm-delete">
              {t("common.delete")}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-700">{toDelete ? t("flows.delete.confirm", { name: toDelete.name }) : null}</p>
        {del.isError ? <p className="mt-2 text-sm text-red-600">{del.error.message}</p> : null}
      </Dialog>
    </div>
  );
}

function CreateFlowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(trpc.flows.create.mutationOptions({ onSuccess: (res) => router.push(`/flows/${res.id}`) }));
  const submit = () => create.mutate({ name, description: description || undefined });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t("flows.create.title")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button variant="primary" disabled={create.isPending || !name.trim()} onClick={submit} data-testid="create-flow-submit">
            {t("common.create")}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) submit();
        }}
      >
        <Field label={t("flows.create.name")} htmlFor="flow-name">
          <input id="flow-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder={t("flows.create.namePlaceholder")} className={inputClass} maxLength={100} />
        </Field>
        <Field label={t("flows.create.description")} htmlFor="flow-desc">
          <textarea id="flow-desc" value={description} onChange={(e) => setDescription(e.target.value)} className={inputClass} rows={3} maxLength={1000} />
        </Field>
        {create.isError ? <p className="text-sm text-red-600">{create.error.message}</p> : null}
      </form>
    </Dialog>
  );
}

async function readFile(input: HTMLInputElement | null): Promise<unknown> {
  const f = input?.files?.[0];
  if (!f) return undefined;
  return JSON.parse(await f.text()) as unknown;
}

function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const qc = useQueryClient();
  const [mode, setMode] = useState<"shuqiao" | "qeasy">("shuqiao");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ id: string; report: ImportReport } | null>(null);
  const imp = useMutation(
    trpc.flows.import.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
        if (r.report.length) setDone({ id: r.id, report: r.report });
        else router.push(`/flows/${r.id}`);
      },
    }),
  );
  const submit = async () => {
    setError(null);
    try {
      if (mode === "shuqiao") {
        const data = await readFile(document.getElementById("import-file") as HTMLInputElement);
        if (data === undefined) return setError(t("import.chooseFile"));
        imp.mutate({ data, name: name.trim() || undefined });
      } else {
        const source = await readFile(document.getElementById("import-qeasy-source") as HTMLInputElement);
        const target = await readFile(document.getElementById("import-qeasy-target") as HTMLInputElement);
        const mapping = await readFile(document.getElementById("import-qeasy-mapping") as HTMLInputElement);
        if (source === undefined || target === undefined) return setError(t("import.choosePair"));
        imp.mutate({ data: { source, target, ...(mapping !== undefined ? { mapping } : {}) }, name: name.trim() || undefined });
      }
    } catch {
      setError(t("import.badJson"));
    }
  };
  const close = () => {
    setDone(null);
    setError(null);
    imp.reset();
    onClose();
  };
  const fileClass = "block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200";
  return (
    <Dialog
      open={open}
      onClose={close}
      title={t("import.title")}
      footer={
        done ? (
          <Button variant="primary" onClick={() => router.push(`/flows/${done.id}`)} data-testid="import-open">
            {t("import.open")}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t("common.cancel")}</Button>
            <Button variant="primary" onClick={() => void submit()} disabled={imp.isPending} data-testid="import-submit">
              {t("flows.import")}
            </Button>
          </>
        )
      }
    >
      {done ? (
        <div data-testid="import-report">
          <p className="mb-2 text-sm text-slate-700">{t("import.reportIntro", { n: done.report.length })}</p>
          <ul className="max-h-72 space-y-1 overflow-auto text-xs">
            {done.report.map((r, i) => (
              <li key={i} className="rounded bg-slate-50 px-2 py-1">
                <Badge tone={r.level === "untranslated" || r.level === "problem" ? "red" : r.level === "assumed" ? "amber" : "gray"}>{t(`import.level.${r.level}` as "import.level.assumed")}</Badge> <span className="font-mono text-slate-500">{r.path}</span> {r.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <div className="mb-4 flex gap-1 rounded-md bg-slate-100 p-1" role="tablist" aria-label={t("import.kind")}>
            {(["shuqiao", "qeasy"] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="tab"
                aria-selected={mode === m}
                onClick={() => setMode(m)}
                data-testid={`import-mode-${m}`}
                className={`flex-1 rounded px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-brand-500 ${mode === m ? "bg-white font-medium text-slate-900 shadow-sm" : "text-slate-600"}`}
              >
                {t(m === "shuqiao" ? "import.shuqiao" : "import.qeasy")}
              </button>
            ))}
          </div>
          {mode === "shuqiao" ? (
            <Field label={t("import.file")} htmlFor="import-file" hint={t("import.fileHint")}>
              <input id="import-file" type="file" accept=".json,application/json" className={fileClass} />
            </Field>
          ) : (
            <>
              <Field label={t("import.qeasySource")} htmlFor="import-qeasy-source">
                <input id="import-qeasy-source" type="file" accept=".json,application/json" className={fileClass} />
              </Field>
              <Field label={t("import.qeasyTarget")} htmlFor="import-qeasy-target">
                <input id="import-qeasy-target" type="file" accept=".json,application/json" className={fileClass} />
              </Field>
              <Field label={t("import.qeasyMapping")} htmlFor="import-qeasy-mapping" hint={t("import.qeasyHint")}>
                <input id="import-qeasy-mapping" type="file" accept=".json,application/json" className={fileClass} />
              </Field>
            </>
          )}
          <Field label={t("import.name")} htmlFor="import-name">
            <input id="import-name" value={name} onChange={(e) => setName(e.target.value)} className={inputClass} maxLength={100} placeholder={t("import.namePlaceholder")} />
          </Field>
          {error || imp.isError ? (
            <p className="whitespace-pre-wrap text-sm text-red-600" role="alert">
              {error ?? imp.error?.message}
            </p>
          ) : null}
        </>
      )}
    </Dialog>
  );
}
