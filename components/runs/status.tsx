"use client";
/** The run status badge, one colour per state, used wherever a run's status is shown. */
import { useT } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";
import { Badge, type Tone } from "../ui/primitives";

const tone: Record<string, Tone> = { queued: "gray", running: "blue", succeeded: "green", partial: "amber", failed: "red", cancelled: "gray" };

export function RunStatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `status.${status}` as MessageKey;
  return <Badge tone={tone[status] ?? "gray"}>{t(key)}</Badge>;
}
