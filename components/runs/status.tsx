"use client";
/**
 * Status badges — one colour per run state, ledger record state and trigger — used wherever a run or
 * a record is shown, so "部分成功" looks the same on every screen.
 */
import { useT } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { Badge, type Tone } from "../ui/primitives";

const tone: Record<string, Tone> = { queued: "gray", running: "blue", succeeded: "green", partial: "amber", failed: "red", cancelled: "gray" };

/** What each finished status means (engine/executor.ts outcomeStatus), shown on hover. */
const help: Record<string, MessageKey> = { succeeded: "status.help.succeeded", partial: "status.help.partial", failed: "status.help.failed" };

export function RunStatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `status.${status}` as MessageKey;
  return (
    <span data-testid="run-status" data-status={status} className="inline-flex items-center gap-1" title={help[status] ? t(help[status]) : undefined}>
      {status === "running" ? <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-blue-500" aria-hidden /> : null}
      <Badge tone={tone[status] ?? "gray"}>{t(key)}</Badge>
    </span>
  );
}

const recordTone: Record<string, Tone> = { pending: "gray", sending: "blue", written: "green", failed: "red", invalid: "amber", skipped: "gray" };

export function RecordStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <span data-testid="record-status" data-status={status}>
      <Badge tone={recordTone[status] ?? "gray"}>{t(`record.status.${status}` as MessageKey)}</Badge>
    </span>
  );
}

const triggerTone: Record<string, Tone> = { manual: "gray", schedule: "violet", rerun: "blue", api: "gray", resume: "amber" };

export function TriggerBadge({ trigger }: { trigger: string }) {
  const t = useT();
  return (
    <span data-testid="run-trigger" data-trigger={trigger}>
      <Badge tone={triggerTone[trigger] ?? "gray"}>{t(`trigger.${trigger}` as MessageKey)}</Badge>
    </span>
  );
}
