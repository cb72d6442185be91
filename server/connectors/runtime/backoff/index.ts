/**
 * Computes the wait before retry number `attempt` for any backoff definition.
 *
 * Why this exists: the call loop should not care which strategy a connector chose.
 */
import type { Backoff } from "../../schema";
import { constantDelay } from "./constant";
import { exponentialDelay } from "./exponential";
import { waitFromHeaderDelay } from "./wait-from-header";

export function backoffDelay(def: Backoff, attempt: number, headers?: Headers): number {
  switch (def.type) {
    case "Exponential":
      return exponentialDelay(def, attempt);
    case "Constant":
      return constantDelay(def);
    case "WaitFromHeader":
      return waitFromHeaderDelay(def, attempt, headers);
  }
}
