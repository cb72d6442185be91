"use client";
/**
 * Run actions, each confirmed and each creating a linked run: rerun whole (this version or the current
 * version, chosen explicitly), retry failed rows only, re-push chosen records, cancel a running run.
 *
 * Why confirmations: every action writes to a customer's ERP; a mis-click must cost nothing.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useI18n } from "../i18n/provider";
import { useCan } from "../auth/session";
import { useTRPC, type RouterOutputs } from "../trpc/client";
import { Button, Dialog } from "../ui/primitives";

type Run = RouterOutputs["runs"]["byId"];

function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  pending,
  error,
  disabled,
  onConfirm,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error: string | null;
  disabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button variant={danger ? "danger" : "primary"} onClick={onConfirm} disabled={pending || disabled} data-testid={`${testId}-confirm`}>
            {pending ? t("runs.action.working") : confirmLabel}
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm text-slate-700">{body}</div>
      {error ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

/** Starts a rerun through the engine's runEvents.rerun and opens the new run. */
export function useRerun() {
  const trpc = useTRPC();
  const router = useRouter();
  const qc = useQueryClient();
  return useMutation(
    trpc.runEvents.rerun.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.runs.retryable.pathKey() });
        router.push(`/runs/${r.runId}`);
      },
    }),
  );
}

/** Nothing for a role that may not operate runs (viewers): components/auth/can.ts. */
export function RunActions({ run }: { run: Run }) {
  return useCan("runs.operate") ? <RunActionButtons run={run} /> : null;
}

function RunActionButtons({ run }: { run: Run }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState<null | "whole" | "failed" | "cancel">(null);
  const [version, setVersion] = useState<"this" | "current" | null>(null);
  const rerun = useRerun();
  const cancel = useMutation(
    trpc.runEvents.cancel.mutationOptions({
      onSuccess: () => {
        setOpen(null);
        void qc.invalidateQueries({ queryKey: trpc.runs.byId.queryKey({ id: run.id }) });
      },
    }),
  );
  const active = run.status === "running" || run.status === "queued";
  const retryable = useQuery(trpc.runs.retryable.queryOptions({ runId: run.id }, { enabled: !active && run.countFailed > 0, staleTime: 0 }));
  const stillFailed = run.countFailed === 0 ? 0 : (retryable.data?.failed ?? run.countFailed);
  const close = () => {
    setOpen(null);
    setVersion(null);
    rerun.reset();
    cancel.reset();
  };
  const sameVersion = run.version === run.currentVersion;

  return (
    <div className="flex flex-wrap items-center gap-2">
      {active ? (
        <Button variant="danger" onClick={() => setOpen("cancel")} disabled={run.cancelRequested} data-testid="action-cancel">
          {run.cancelRequested ? t("runs.action.cancelling") : t("runs.action.cancel")}
        </Button>
      ) : null}
      <Button
        onClick={() => setOpen("failed")}
        disabled={active || stillFailed === 0 || run.flowDeleted}
        data-testid="action-retry-failed"
        title={run.countFailed === 0 ? t("runs.action.noFailed") : stillFailed === 0 ? t("runs.action.allRetried") : undefined}
      >
        {t("runs.action.retryFailed")}
        {stillFailed ? <span className="rounded bg-red-50 px-1.5 text-xs text-red-700">{stillFailed}</span> : null}
      </Button>
      <Button variant="primary" onClick={() => setOpen("whole")} disabled={active || run.flowDeleted} data-testid="action-rerun">
        {t("runs.action.rerun")}
      </Button>

      <ConfirmDialog
        open={open === "cancel"}
        title={t("runs.action.cancel.title")}
        body={<p>{t("runs.action.cancel.body")}</p>}
        confirmLabel={t("runs.action.cancel.confirm")}
        danger
        pending={cancel.isPending}
        error={cancel.error?.message ?? null}
        onConfirm={() => cancel.mutate({ runId: run.id })}
        onClose={close}
        testId="cancel"
      />
      <ConfirmDialog
        open={open === "failed"}
        title={t("runs.action.retryFailed.title")}
        body={
          <>
            <p>{t("runs.action.retryFailed.body", { n: stillFailed, v: run.version })}</p>
            <p className="text-xs text-slate-500">{t("runs.action.retryFailed.hint")}</p>
          </>
        }
        confirmLabel={t("runs.action.retryFailed.confirm", { n: stillFailed })}
        pending={rerun.isPending}
        error={rerun.error?.message ?? null}
        onConfirm={() => rerun.mutate({ runId: run.id, mode: "failed_only" })}
        onClose={close}
        testId="retry-failed"
      />
      <ConfirmDialog
        open={open === "whole"}
        title={t("runs.action.rerun.title")}
        body={
          <>
            <p>{t("runs.action.rerun.body")}</p>
            <fieldset className="space-y-2">
              <legend className="sr-only">{t("runs.action.rerun.version")}</legend>
              <label className="flex cursor-pointer items-start gap-2 rounded-md p-2 ring-1 ring-slate-200 has-[:checked]:bg-brand-50 has-[:checked]:ring-brand-500">
                <input type="radio" name="rerun-version" className="mt-1" checked={version === "this"} onChange={() => setVersion("this")} data-testid="rerun-this-version" />
                <span>
                  <span className="font-medium">{t("runs.action.rerun.this", { v: run.version })}</span>
                  <span className="block text-xs text-slate-500">{t("runs.action.rerun.thisHint")}</span>
                </span>
              </label>
              <label className="flex cursor-pointer items-start gap-2 rounded-md p-2 ring-1 ring-slate-200 has-[:checked]:bg-brand-50 has-[:checked]:ring-brand-500">
                <input type="radio" name="rerun-version" className="mt-1" checked={version === "current"} onChange={() => setVersion("current")} data-testid="rerun-current-version" />
                <span>
                  <span className="font-medium">{t("runs.action.rerun.current", { v: run.currentVersion })}</span>
                  <span className="block text-xs text-slate-500">{sameVersion ? t("runs.action.rerun.same") : t("runs.action.rerun.currentHint")}</span>
                </span>
              </label>
            </fieldset>
          </>
        }
        confirmLabel={t("runs.action.rerun.confirm")}
        disabled={version === null}
        pending={rerun.isPending}
        error={rerun.error?.message ?? null}
        onConfirm={() => rerun.mutate({ runId: run.id, mode: "whole", useCurrentVersion: version === "current" })}
        onClose={close}
        testId="rerun"
      />
    </div>
  );
}

/** Re-push chosen records (from a run's failed list or from the ledger), confirmed. */
export function RepushButton(props: { parentRunId: string | null; sourceIds: string[]; onDone?: () => void; label?: string }) {
  return useCan("runs.operate") ? <RepushButtonInner {...props} /> : null;
}

function RepushButtonInner({ parentRunId, sourceIds, onDone, label }: { parentRunId: string | null; sourceIds: string[]; onDone?: () => void; label?: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const rerun = useRerun();
  return (
    <>
      <Button variant={sourceIds.length ? "primary" : "secondary"} disabled={!parentRunId || sourceIds.length === 0} onClick={() => setOpen(true)} data-testid="action-repush">
        {label ?? t("runs.action.repush", { n: sourceIds.length })}
      </Button>
      <ConfirmDialog
        open={open}
        title={t("runs.action.repush.title")}
        body={
          <>
            <p>{t("runs.action.repush.body", { n: sourceIds.length })}</p>
            <p className="max-h-24 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs text-slate-600">{sourceIds.slice(0, 50).join(", ")}{sourceIds.length > 50 ? " …" : ""}</p>
          </>
        }
        confirmLabel={t("runs.action.repush.confirm")}
        pending={rerun.isPending}
        error={rerun.error?.message ?? null}
        onConfirm={() => {
          if (!parentRunId) return;
          rerun.mutate({ runId: parentRunId, mode: "records", sourceIds, useCurrentVersion: true }, { onSuccess: () => onDone?.() });
        }}
        onClose={() => {
          setOpen(false);
          rerun.reset();
        }}
        testId="repush"
      />
    </>
  );
}
