/**
 * Entry point of the vendor simulators: start 管易云, 钉钉 and 金蝶 together or one by one.
 *
 * Why this exists: tests, benchmarks, the CLI and the app's sandbox mode all need the three
 * local vendor servers with one call, and the fixed demo credentials of the sandbox connections.
 * See each vendor's index.ts header for its protocol notes and `// CHOICE:` decisions.
 */
import type { SimulatorHandle } from "./common/core";
import { startDingtalkSimulator } from "./dingtalk";
import { startGuanyiSimulator } from "./guanyi";
import { startKingdeeSimulator } from "./kingdee";

export type { SimulatorHandle, StartOptions, FaultSpec } from "./common/core";
export { startGuanyiSimulator, GUANYI_CREDENTIALS, GUANYI_DEFAULTS, GUANYI_ERRORS, guanyiSign } from "./guanyi";
export { startDingtalkSimulator, DINGTALK_CREDENTIALS, DINGTALK_DEFAULTS } from "./dingtalk";
export { PROCESS_TEMPLATES } from "./dingtalk/data";
export { startKingdeeSimulator, KINGDEE_CREDENTIALS, KINGDEE_DEFAULTS } from "./kingdee";
export { buildSignedHeaders, loginBySignValue, decodeAppSecret, hmacB64 } from "./kingdee/auth";
export { SANDBOX_ORGS, SANDBOX_DEPARTMENTS, SANDBOX_EMPLOYEES } from "./common/org";

export type SimulatorName = "guanyi" | "dingtalk" | "kingdee";

export interface Simulators {
  guanyi: SimulatorHandle;
  dingtalk: SimulatorHandle;
  kingdee: SimulatorHandle;
  close(): Promise<void>;
}

export interface StartSimulatorsOptions {
  host?: string;
  ports?: Partial<Record<SimulatorName, number>>;
  config?: Partial<Record<SimulatorName, Record<string, unknown>>>;
}

/** Starts all three (port 0 = any free port). If one fails to start, the others are closed. */
export async function startSimulators(opts: StartSimulatorsOptions = {}): Promise<Simulators> {
  const host = opts.host ?? "127.0.0.1";
  const results = await Promise.allSettled([
    startGuanyiSimulator({ host, port: opts.ports?.guanyi ?? 0, config: opts.config?.guanyi }),
    startDingtalkSimulator({ host, port: opts.ports?.dingtalk ?? 0, config: opts.config?.dingtalk }),
    startKingdeeSimulator({ host, port: opts.ports?.kingdee ?? 0, config: opts.config?.kingdee }),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(results.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
    throw failed.reason;
  }
  const [guanyi, dingtalk, kingdee] = results.map((r) => (r as PromiseFulfilledResult<SimulatorHandle>).value);
  return {
    guanyi,
    dingtalk,
    kingdee,
    close: async () => {
      await Promise.all([guanyi.close(), dingtalk.close(), kingdee.close()]);
    },
  };
}
