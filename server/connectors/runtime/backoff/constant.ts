/**
 * Constant backoff: the same wait before every retry.
 *
 * Why this exists: some vendors say exactly how long to wait (DingTalk 90018: "sleep ≥ 1 s").
 */
import type { Constant } from "../../schema";

export function constantDelay(def: Constant): number {
  return def.ms;
}
