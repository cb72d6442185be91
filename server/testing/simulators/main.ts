/**
 * `npm run sandbox`: starts the three vendor simulators on 127.0.0.1 and keeps them up.
 *
 * Why this exists: a developer (or the app's sandbox mode, or a benchmark) needs the local
 * vendor servers running on known ports with known demo credentials, without writing code.
 * Env: SHUQIAO_SIM_GUANYI_PORT (18101), SHUQIAO_SIM_DINGTALK_PORT (18102),
 * SHUQIAO_SIM_KINGDEE_PORT (18103), SHUQIAO_SIM_HOST (127.0.0.1), SHUQIAO_SIM_SEED, and dataset
 * sizes SHUQIAO_SIM_SHOPS / _VIPS / _ITEMS / _TRADES / _APPROVALS, plus any config key in upper
 * snake case, e.g. SHUQIAO_SIM_LATENCY_MS, SHUQIAO_SIM_ERROR_RATE (applied to all three),
 * SHUQIAO_SIM_ANCHOR (ISO instant the seeded dates are relative to), SHUQIAO_SIM_UNIQUE_NUMBERS.
 */
import { startSimulators, type SimulatorName } from "./index";

const DEFAULT_PORTS: Record<SimulatorName, number> = { guanyi: 18101, dingtalk: 18102, kingdee: 18103 };
const envName = (n: SimulatorName) => `SHUQIAO_SIM_${n.toUpperCase()}_PORT`;

const SHARED_KEYS = ["latencyMs", "jitterMs", "errorRate", "dropRate", "qps", "rowFailureRate", "sessionTtlSec", "seed"];
const VENDOR_KEYS: Record<SimulatorName, string[]> = {
  guanyi: ["shops", "vips", "items", "trades", "anchor"],
  dingtalk: ["approvals", "maxSpanDays", "anchor"],
  kingdee: ["uniqueNumbers"],
};

function upperSnake(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function portOf(n: SimulatorName): number {
  const raw = process.env[envName(n)];
  if (raw === undefined || raw === "") return DEFAULT_PORTS[n];
  const p = Number(raw);
  if (!Number.isInteger(p) || p < 0 || p > 65535) fail(`${envName(n)}=${raw} is not a port number (0–65535).`);
  return p;
}

function configOf(n: SimulatorName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...SHARED_KEYS, ...VENDOR_KEYS[n]]) {
    const v = process.env[`SHUQIAO_SIM_${upperSnake(k)}`];
    if (v !== undefined && v !== "") out[k] = v;
  }
  return out;
}

async function main(): Promise<void> {
  const names: SimulatorName[] = ["guanyi", "dingtalk", "kingdee"];
  const ports = Object.fromEntries(names.map((n) => [n, portOf(n)])) as Record<SimulatorName, number>;
  const host = process.env.SHUQIAO_SIM_HOST || "127.0.0.1";
  let sims;
  try {
    sims = await startSimulators({ host, ports, config: Object.fromEntries(names.map((n) => [n, configOf(n)])) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === "EADDRINUSE") {
      const n = names.find((x) => ports[x] === e.port) ?? names.find((x) => String(e.message).includes(`:${ports[x]}`));
      fail(
        n
          ? `Port ${ports[n]} for the ${n} simulator is already in use; set ${envName(n)} to another port (or stop what is using it).`
          : `A simulator port is already in use; set SHUQIAO_SIM_GUANYI_PORT / SHUQIAO_SIM_DINGTALK_PORT / SHUQIAO_SIM_KINGDEE_PORT to free ports.`,
      );
    }
    if (e.code === "EACCES") fail(`Not allowed to listen on ${host} with the configured ports; choose ports above 1024 via ${names.map(envName).join(" / ")}.`);
    fail(`The simulators could not start: ${e.message}`);
  }
  const lines = [
    "数桥 Shuqiao sandbox simulators are running (Ctrl+C to stop):",
    "",
    `管易云 Guanyi     ${sims.guanyi.url}/rest/erp_open`,
    `  appkey=${sims.guanyi.credentials.appkey}  sessionkey=${sims.guanyi.credentials.sessionkey}  secret=${sims.guanyi.credentials.secret}`,
    `钉钉 DingTalk     ${sims.dingtalk.url}  (gettoken, topapi/processinstance/listids|get)`,
    `  appkey=${sims.dingtalk.credentials.appkey}  appsecret=${sims.dingtalk.credentials.appsecret}`,
    `金蝶 Kingdee      ${sims.kingdee.url}/k3cloud/`,
    `  acctId=${sims.kingdee.credentials.acctId}  username=${sims.kingdee.credentials.username}  password=${sims.kingdee.credentials.password}`,
    `  appId=${sims.kingdee.credentials.appId}  appSecret=${sims.kingdee.credentials.appSecret}  lcid=${sims.kingdee.credentials.lcid}`,
    "",
    `Inspect / configure: GET <url>/__sandbox/state, POST <url>/__sandbox/config, POST <url>/__sandbox/reset`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void sims.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
