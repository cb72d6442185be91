/**
 * Exponential backoff with jitter: base · factor^(attempt-1), capped, then spread.
 *
 * Why this exists: many clients retrying in lock-step after a vendor hiccup make the next hiccup;
 * jitter spreads them out ("equal" jitter keeps at least half the delay so a retry is never instant).
 */
import type { Exponential } from "../../schema";

export function exponentialDelay(def: Exponential, attempt: number, random: () => number = Math.random): number {
  const d = Math.min(def.maxMs, def.baseMs * Math.pow(def.factor, Math.max(0, attempt - 1)));
  switch (def.jitter) {
    case "none":
      return Math.round(d);
    case "full":
      return Math.round(random() * d);
    case "equal":
      return Math.round(d / 2 + random() * (d / 2));
  }
}
