"use client";
/**
 * Version history of a scheme: every save is an immutable version; compare two (what changed in nodes,
 * mappings, settings) and restore one — restoring saves that document as a new version, so nothing
 * is lost and two editors are still told about each other.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "../i18n/provider";
import { useCan } from "../auth/session";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { formatDateTime } from "../ui/format";
import { Badge, Button, Dialog } from "../ui/primitives";

type Diff = RouterOutputs["flows"]["compare"]["diff"];

export function VersionsPanel({ flowId, baseVersion, dirty, onRestored, onClose }: { flowId: string; baseVersion: number; dirty: boolean; onRestored: (v: number) => void; onClose: () => void }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const versions = useQuery(trpc.flows.versions.queryOptions({ id: flowId }));
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const [against, setAgainst] = useState<number | null>(null);
  const other = against ?? baseVersion;
  const [restoring, setRestoring] = useState<number | null>(null);
  const canEdit = useCan("flows.edit");
  const compare = useQuery({ ...trpc.flows.compare.queryOptions({ id: flowId, from: pair?.from ?? 1, to: pair?.to ?? 1 }), enabled: pair !== null });
  const restore = useMutation(
    trpc.flows.restore.mutationOptions({
      onSuccess: (r) => {
        setRestoring(null);
        void qc.invalidateQueries({ queryKey: trpc.flows.versions.queryKey({ id: flowId }) });
        onRestored(r.version);
      },
    }),
  );
  return (
    <div className="flex h-full flex-col" data-testid="versions-panel">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">{t("versions.title")}</h2>
        <button type="button" onClick={onClose} aria-label={t("common.close")} className="ml-auto rounded px-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-500">
          ✕
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        <div className="flex items-center gap-2 border-b border-slate-100 px-4 py-2 text-xs text-slate-600">
          <label htmlFor="versions-against">{t("versions.against")}</label>
          <select id="versions-against" value={other} onChange={(e) => setAgainst(Number(e.target.value))} className="rounded-md border-0 py-0.5 pl-2 pr-7 text-xs ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-500" data-testid="versions-against">
            {(versions.data ?? []).map((v) => (
              <option key={v.number} value={v.number}>
                v{v.number}
                {v.current ? ` · ${t("versions.current")}` : ""}
              </option>
            ))}
          </select>
        </div>
        <ol className="divide-y divide-slate-100">
          {(versions.data ?? []).map((v) => (
            <li key={v.number} className="px-4 py-2.5" data-testid={`version-${v.number}`}>
              <div className="flex items-center gap-2">
                <span className="font-mono text-sm font-semibold text-slate-900">v{v.number}</span>
                {v.current ? <Badge tone="blue">{t("versions.current")}</Badge> : null}
                {v.runs ? <span className="text-[11px] text-slate-400">{t("versions.runs", { n: v.runs })}</span> : null}
                <span className="ml-auto text-[11px] text-slate-500">{formatDateTime(v.createdAt, locale)}</span>
              </div>
              {v.message ? <p className="mt-0.5 truncate text-xs text-slate-600">{v.message}</p> : null}
              <div className="mt-1.5 flex gap-2">
                {v.number !== other ? (
                  <Button className="!px-2 !py-0.5 text-xs" onClick={() => setPair({ from: Math.min(v.number, other), to: Math.max(v.number, other) })} data-testid={`version-compare-${v.number}`}>
                    {t("versions.compare", { n: other })}
                  </Button>
                ) : null}
                {!v.current && canEdit ? (
                  <Button className="!px-2 !py-0.5 text-xs" onClick={() => setRestoring(v.number)} data-testid={`version-restore-${v.number}`}>
                    {t("versions.restore")}
                  </Button>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
        {pair ? (
          <div className="border-t border-slate-200 bg-slate-50 px-4 py-3" data-testid="version-diff">
            <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("versions.diffTitle", { from: pair.from, to: pair.to })}</h3>
            {compare.data ? <DiffView diff={compare.data.diff} /> : <p className="text-xs text-slate-500">{t("common.loading")}</p>}
          </div>
        ) : null}
      </div>
      <Dialog
        open={restoring !== null}
        onClose={() => setRestoring(null)}
        title={t("versions.restoreTitle", { n: restoring ?? 0 })}
        footer={
          <>
            <Button onClick={() => setRestoring(null)}>{t("common.cancel")}</Button>
            <Button variant="primary" disabled={restore.isPending} onClick={() => restoring && restore.mutate({ id: flowId, version: restoring, baseVersion })} data-testid="version-restore-confirm">
              {t("versions.restore")}
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-700">{t("versions.restoreBody", { n: restoring ?? 0, next: baseVersion + 1 })}</p>
        {dirty ? <p className="mt-2 text-sm text-amber-700">{t("versions.restoreDirty")}</p> : null}
        {restore.isError ? <p className="mt-2 text-sm text-red-600">{restore.error.message}</p> : null}
      </Dialog>
    </div>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + "…" : s;
}

function DiffView({ diff }: { diff: Diff }) {
  const { t } = useI18n();
  const empty = !diff.meta.length && !diff.nodes.added.length && !diff.nodes.removed.length && !diff.nodes.changed.some((n) => n.changes.length) && !diff.edges.added.length && !diff.edges.removed.length && !diff.mappings.length && !diff.settings.length;
  if (empty) return <p className="text-xs text-slate-500">{t("versions.noChanges")}</p>;
  const Item = ({ tone, children }: { tone: "add" | "del" | "chg"; children: React.ReactNode }) => (
    <li className={`rounded px-1.5 py-0.5 text-xs ${tone === "add" ? "bg-emerald-50 text-emerald-800" : tone === "del" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900"}`}>{children}</li>
  );
  return (
    <div className="space-y-3">
      {diff.nodes.added.length || diff.nodes.removed.length || diff.nodes.changed.length ? (
        <div>
          <h4 className="mb-1 text-xs font-medium text-slate-700">{t("versions.diff.nodes")}</h4>
          <ul className="space-y-0.5">
            {diff.nodes.added.map((n) => (
              <Item key={`a${n.id}`} tone="add">+ {n.label ?? n.id} ({n.type})</Item>
            ))}
            {diff.nodes.removed.map((n) => (
              <Item key={`r${n.id}`} tone="del">− {n.label ?? n.id} ({n.type})</Item>
            ))}
            {diff.nodes.changed.map((n) =>
              n.changes.length ? (
                n.changes.map((c) => (
                  <Item key={`c${n.id}${c.path}`} tone="chg">
                    {n.label ?? n.id} · <span className="font-mono">{c.path}</span>: {show(c.before)} → {show(c.after)}
                  </Item>
                ))
              ) : (
                <Item key={`m${n.id}`} tone="chg">
                  {n.label ?? n.id}: {t("versions.diff.moved")}
                </Item>
              ),
            )}
          </ul>
        </div>
      ) : null}
      {diff.mappings.length ? (
        <div>
          <h4 className="mb-1 text-xs font-medium text-slate-700">{t("versions.diff.mappings")}</h4>
          <ul className="space-y-0.5" data-testid="diff-mappings">
            {diff.mappings.map((m) => (
              <Item key={`${m.nodeId}${m.field}`} tone={m.kind === "added" ? "add" : m.kind === "removed" ? "del" : "chg"}>
                {m.kind === "added" ? "+" : m.kind === "removed" ? "−" : "~"} <span className="font-mono">{m.field}</span>
                {m.kind === "changed" ? `: ${show((m.before as { value?: unknown })?.value)} → ${show((m.after as { value?: unknown })?.value)}` : m.kind === "added" ? ` ← ${show((m.after as { value?: unknown })?.value)}` : ""}
              </Item>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.edges.added.length || diff.edges.removed.length ? (
        <div>
          <h4 className="mb-1 text-xs font-medium text-slate-700">{t("versions.diff.edges")}</h4>
          <ul className="space-y-0.5">
            {diff.edges.added.map((e) => (
              <Item key={`ea${e.source}${e.target}`} tone="add">+ {e.source} → {e.target}</Item>
            ))}
            {diff.edges.removed.map((e) => (
              <Item key={`er${e.source}${e.target}`} tone="del">− {e.source} → {e.target}</Item>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.settings.length || diff.meta.length ? (
        <div>
          <h4 className="mb-1 text-xs font-medium text-slate-700">{t("versions.diff.settings")}</h4>
          <ul className="space-y-0.5">
            {[...diff.meta, ...diff.settings].map((s) => (
              <Item key={s.path} tone="chg">
                <span className="font-mono">{s.path}</span>: {show(s.before)} → {show(s.after)}
              </Item>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
