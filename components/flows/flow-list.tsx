"use client";
/**
 * 方案列表: every scheme with its version and last run; create and delete.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { useI18n } from "../i18n/provider";
import { RunStatusBadge } from "../runs/status";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Button, Card, Dialog, EmptyState, ErrorState, Field, LoadingState, PageHeader, inputClass } from "../ui/primitives";

type FlowRow = RouterOutputs["flows"]["list"][number];

export function FlowList() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<FlowRow | null>(null);
  const list = useQuery(trpc.flows.list.queryOptions(deferred ? { search: deferred } : undefined));
  const del = useMutation(
    trpc.flows.delete.mutationOptions({
      onSuccess: () => {
        setToDelete(null);
        void queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
      },
    }),
  );

  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <PageHeader
        title={t("flows.title")}
        subtitle={t("flows.subtitle")}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-flow">
            + {t("flows.new")}
          </Button>
        }
      />
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
            title={t("flows.empty.title")}
            body={t("flows.empty.body")}
            action={
              <Button variant="primary" onClick={() => setCreating(true)}>
                + {t("flows.new")}
              </Button>
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
                  <td className="px-4 py-3">
                    <Link href={`/flows/${f.id}`} className="font-medium text-brand-700 hover:underline">
                      {f.name}
                    </Link>
                    {f.description ? <p className="mt-0.5 text-xs text-slate-500">{f.description}</p> : null}
                  </td>
                  <td className="px-4 py-3 text-slate-600">v{f.currentVersion}</td>
                  <td className="px-4 py-3">
                    {f.lastRun ? (
                      <span className="flex items-center gap-2">
                        <RunStatusBadge status={f.lastRun.status} />
                        <span className="text-xs text-slate-500">{formatDateTime(f.lastRun.createdAt, locale)}</span>
                      </span>
                    ) : (
                      <span className="text-xs text-slate-400">{t("common.never")}</span>
                    )}
                  </td>
                  <td className="px-4 py-3 text-xs text-slate-500">{formatDateTime(f.updatedAt, locale)}</td>
                  <td className="px-4 py-3 text-right">
                    <Button variant="ghost" onClick={() => setToDelete(f)} aria-label={`${t("common.delete")} ${f.name}`}>
                      {t("common.delete")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <CreateFlowDialog open={creating} onClose={() => setCreating(false)} />
      <Dialog
        open={toDelete !== null}
        onClose={() => setToDelete(null)}
        title={t("common.delete")}
        footer={
          <>
            <Button onClick={() => setToDelete(null)}>{t("common.cancel")}</Button>
            <Button variant="danger" disabled={del.isPending} onClick={() => toDelete && del.mutate({ id: toDelete.id })}>
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
