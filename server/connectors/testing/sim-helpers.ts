/**
 * Test helpers for talking to the vendor simulators' sandbox hooks and capturing what the connector
 * layer reports.
 *
 * Why this exists: the connector tests assert on what the simulator saw (request counts, faults) and
 * on everything we reported or logged (no secrets), over real HTTP.
 */
import type { CallObserver, CallReport } from "../types";

export interface SimState {
  requests: Record<string, number>;
  errors: Record<string, number>;
  faults: { dropped: number; httpErrors: number; injected: number; rateLimited: number };
  /** the most vendor requests the simulator served at once since its last reset */
  maxInFlight: number;
  credentials: Record<string, string>;
  [k: string]: unknown;
}

export async function simState(url: string): Promise<SimState> {
  const r = await fetch(`${url}/__sandbox/state`);
  return (await r.json()) as SimState;
}

export async function simConfig(url: string, patch: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${url}/__sandbox/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
  if (!r.ok) throw new Error(`sandbox config failed: ${await r.text()}`);
}

export async function simReset(url: string, patch: Record<string, unknown> = {}): Promise<void> {
  const r = await fetch(`${url}/__sandbox/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
  if (!r.ok) throw new Error(`sandbox reset failed: ${await r.text()}`);
}

export interface Captured extends CallObserver {
  calls: CallReport[];
  retries: { apiAsset: string; attempt: number; waitMs: number; reason: string; rateLimited: boolean }[];
  /** everything reported, as one string (for "no secret appears" assertions) */
  dump(): string;
}

export function captureObserver(): Captured {
  const calls: CallReport[] = [];
  const retries: Captured["retries"] = [];
  return {
    calls,
    retries,
    onCall: (r) => calls.push(r),
    onRetry: (r) => retries.push(r),
    dump: () => JSON.stringify({ calls, retries }),
  };
}

/** Fast retry settings for tests. */
export const FAST_RETRY = { maxAttempts: 3, maxTotalWaitMs: 5_000, backoff: { type: "Constant" as const, ms: 5 } };

/**
 * For tests against small fake servers on 127.0.0.1: loopback allowed through the admin's allowlist,
 * exactly as a workspace would allow an internal host (the policy itself stays on).
 */
export const LOCAL_TEST_POLICY = { allowPrivateNetworks: false, allowedHosts: ["127.0.0.1"] } as const;
