"use client";
/**
 * 连接: the connections screen — list, create, edit, test, delete.
 *
 * Why this exists: credentials for 管易云, 钉钉, 金蝶 (or any HTTP API) are entered once here and named
 * by schemes. Secrets are write-only: the server never returns them, so the form shows which secret
 * fields are stored ("已保存") and an empty secret input keeps the stored value. "测试连接" makes the
 * vendor's cheapest authenticated call and shows success or the vendor's own message. Sandbox
 * connections (to the local simulators) are maintained by the system and can be tested, not edited.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { useCan } from "../auth/session";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Badge, Button, Card, Dialog, EmptyState, ErrorState, Field, LoadingState, PageHeader, inputClass } from "../ui/primitives";

type Conn = RouterOutputs["connections"]["list"][number];
type Vendor = RouterOutputs["connections"]["vendors"][number];
type TestResult = RouterOutputs["connections"]["test"];

export function ConnectionsScreen() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.connections.list.queryOptions());
  const vendors = useQuery({ ...trpc.connections.vendors.queryOptions(), staleTime: Infinity });
  const [editing, setEditing] = useState<Conn | "new" | null>(null);
  // creating, changing, testing and deleting connections (and their secrets) is for admins
  const manage = useCan("connections.manage");
  const [toDelete, setToDelete] = useState<Conn | null>(null);
  const [results, setResults] = useState<Record<string, TestResult | "pending">>({});
  const test = useMutation(trpc.connections.test.mutationOptions());
  const del = useMutation(
    trpc.connections.delete.mutationOptions({
      onSuccess: () => {
        setToDelete(null);
        void qc.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });
      },
    }),
  );
  const runTest = (c: Conn) => {
    setResults((r) => ({ ...r, [c.id]: "pending" }));
    test.mutate({ id: c.id }, { onSuccess: (res) => setResults((r) => ({ ...r, [c.id]: res })), onError: (e) => setResults((r) => ({ ...r, [c.id]: { ok: false, message: e.message, failureType: "config", ms: 0 } })) });
  };
  return (
    <div className="mx-auto max-w-6xl px-8 py-8">
      <PageHeader
        title={t("connections.title")}
        subtitle={t("connections.subtitle")}
        actions={
          manage ? (
            <Button variant="primary" onClick={() => setEditing("new")} data-testid="new-connection">
              + {t("conn.new")}
            </Button>
          ) : undefined
        }
      />
      <Card>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState message={list.error.message} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <EmptyState icon="⛓" title={t("connections.empty.title")} body={t("connections.empty.body")} />
        ) : (
          <table className="w-full text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">{t("connections.col.name")}</th>
                <th className="px-4 py-3">{t("connections.col.vendor")}</th>
                <th className="px-4 py-3">{t("connections.col.baseUrl")}</th>
                <th className="px-4 py-3">{t("conn.col.secrets")}</th>
                <th className="px-4 py-3 text-right">{t("flows.col.actions")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.map((c) => {
                const r = results[c.id];
                return (
                  <tr key={c.id} data-testid="connection-row" data-name={c.name} className="align-top">
                    <td className="px-4 py-3">
                      <span className="font-medium text-slate-900">{c.name}</span> {c.sandbox ? <Badge tone="violet">{t("connections.sandbox")}</Badge> : null}
                      <p className="mt-0.5 whitespace-nowrap text-xs text-slate-400">{t("conn.updated", { at: formatDateTime(c.updatedAt, locale) })}</p>
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-slate-600">{t(`vendor.${c.vendor}` as MessageKey)}</td>
                    <td className="max-w-[14rem] truncate px-4 py-3 font-mono text-xs text-slate-500" title={c.baseUrl}>
                      {c.baseUrl}
                    </td>
                    <td className="px-4 py-3 text-xs text-slate-500">
                      {c.secretsReadable ? (c.secretKeys.length ? c.secretKeys.map((k) => <code key={k} className="mb-1 mr-1 inline-block whitespace-nowrap rounded bg-slate-100 px-1">{k} ••••</code>) : "—") : <span className="text-red-600">{t("conn.secretsUnreadable")}</span>}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-right">
                      {manage ? (
                        <Button variant="ghost" onClick={() => runTest(c)} disabled={r === "pending"} data-testid="test-connection" aria-label={`${t("conn.test")} ${c.name}`}>
                          {r === "pending" ? t("conn.testing") : t("conn.test")}
                        </Button>
                      ) : null}
                      {manage && !c.sandbox ? (
                        <>
                          <Button variant="ghost" onClick={() => setEditing(c)} aria-label={`${t("conn.edit")} ${c.name}`} data-testid="edit-connection">
                            {t("conn.edit")}
                          </Button>
                          <Button variant="ghost" onClick={() => setToDelete(c)} aria-label={`${t("common.delete")} ${c.name}`}>
                            {t("common.delete")}
                          </Button>
                        </>
                      ) : null}
                      {r && r !== "pending" ? (
                        <p role="status" data-testid="test-result" data-ok={r.ok} className={`mt-1.5 ml-auto max-w-sm whitespace-normal rounded-md px-2.5 py-1.5 text-left text-xs ${r.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
                          {r.ok ? "✓" : "✗"} {r.message} <span className="text-slate-400">({r.ms} ms)</span>
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
      {editing ? <ConnectionDialog key={editing === "new" ? "new" : editing.id} conn={editing === "new" ? null : editing} vendors={vendors.data ?? []} onClose={() => setEditing(null)} /> : null}
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
        <p className="text-sm text-slate-700">{toDelete ? t("conn.deleteConfirm", { name: toDelete.name }) : null}</p>
        {del.isError ? <p className="mt-2 text-sm text-red-600">{del.error.message}</p> : null}
      </Dialog>
    </div>
  );
}

function ConnectionDialog({ conn, vendors, onClose }: { conn: Conn | null; vendors: Vendor[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [name, setName] = useState(conn?.name ?? "");
  const [vendor, setVendor] = useState<Vendor["vendor"]>((conn?.vendor as Vendor["vendor"]) ?? "kingdee");
  const [baseUrl, setBaseUrl] = useState(conn?.baseUrl ?? "");
  const [settings, setSettings] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(conn?.settings ?? {}).map(([k, v]) => [k, String(v)])));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const spec = vendors.find((v) => v.vendor === vendor);
  const done = () => {
    void qc.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });
    onClose();
  };
  const create = useMutation(trpc.connections.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.connections.update.mutationOptions({ onSuccess: done }));
  const m = conn ? update : create;
  const cleanSettings = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== ""));
  const submit = () => {
    if (conn) update.mutate({ id: conn.id, name, baseUrl, settings: cleanSettings, secrets });
    else create.mutate({ name, vendor, baseUrl, settings: cleanSettings, secrets });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={conn ? t("conn.editTitle", { name: conn.name }) : t("conn.newTitle")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button variant="primary" onClick={submit} disabled={m.isPending || !name.trim() || !baseUrl.trim()} data-testid="connection-submit">
            {t("common.save")}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        className="max-h-[60vh] overflow-y-auto pr-1"
      >
        <Field label={t("connections.col.name")} htmlFor="conn-name">
          <input id="conn-name" value={name} onChange={(e) => setName(e.target.value)} className={inputClass} maxLength={100} placeholder={t("conn.namePlaceholder")} />
        </Field>
        <Field label={t("connections.col.vendor")} htmlFor="conn-vendor">
          <select id="conn-vendor" value={vendor} disabled={!!conn} onChange={(e) => setVendor(e.target.value as Vendor["vendor"])} className={inputClass}>
            {vendors.map((v) => (
              <option key={v.vendor} value={v.vendor}>
                {v.label[locale]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("connections.col.baseUrl")} htmlFor="conn-url">
          <input id="conn-url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} className={`${inputClass} font-mono`} placeholder={spec?.baseUrlPlaceholder} />
        </Field>
        <div className="grid grid-cols-2 gap-x-3">
          {spec?.settings.map((f) => (
            <Field key={f.key} label={f.label[locale]} htmlFor={`conn-s-${f.key}`}>
              {f.options ? (
                <select id={`conn-s-${f.key}`} value={settings[f.key] ?? ""} onChange={(e) => setSettings({ ...settings, [f.key]: e.target.value })} className={inputClass}>
                  <option value="">{t("conn.default")}</option>
                  {f.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label[locale]}
                    </option>
                  ))}
                </select>
              ) : (
                <input id={`conn-s-${f.key}`} value={settings[f.key] ?? ""} onChange={(e) => setSettings({ ...settings, [f.key]: e.target.value })} className={`${inputClass} font-mono`} placeholder={f.placeholder} />
              )}
            </Field>
          ))}
        </div>
        {spec?.secrets.length ? (
          <fieldset className="mt-2 rounded-md border border-amber-200 bg-amber-50/50 p-3">
            <legend className="px-1 text-xs font-semibold text-amber-800">{t("conn.secrets")}</legend>
            <p className="mb-2 text-xs text-amber-800">{t("conn.secretsHint")}</p>
            {spec.secrets.map((f) => {
              const stored = conn?.secretKeys.includes(f.key);
              return (
                <Field key={f.key} label={f.label[locale]} htmlFor={`conn-x-${f.key}`} hint={stored ? t("conn.secretStored") : undefined}>
                  <input
                    id={`conn-x-${f.key}`}
                    type="password"
                    autoComplete="new-password"
                    value={secrets[f.key] ?? ""}
                    onChange={(e) => setSecrets({ ...secrets, [f.key]: e.target.value })}
                    className={`${inputClass} font-mono`}
                    placeholder={stored ? "••••••••" : ""}
                  />
                </Field>
              );
            })}
          </fieldset>
        ) : null}
        {m.isError ? (
          <p className="mt-2 text-sm text-red-600" role="alert">
            {m.error.message}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
