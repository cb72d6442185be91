/**
 * `npm run sandbox [-- --key=value …]`: starts the three vendor simulators on 127.0.0.1 and keeps
 * them up. Flags (`--latency-ms=50`, `--shops=1000000`, `--guanyi-port=0`, `--help`) beat env.
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
  const raw = flags.get(`${n}Port`) ?? process.env[envName(n)];
  if (raw === undefined || raw === "") return DEFAULT_PORTS[n];
  const p = Number(raw);
  if (!Number.isInteger(p) || p < 0 || p > 65535) fail(`${envName(n)}=${raw} is not a port number (0–65535).`);
  return p;
}

function kebab(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/** `--key=value` flags (kebab or camel case); `--guanyi-port=…` etc. for ports. Flags beat env. */
function parseFlags(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of argv) {
    if (a === "--help" || a === "-h") {
      const keys = [...new Set([...SHARED_KEYS, ...Object.values(VENDOR_KEYS).flat()])].map((k) => `--${kebab(k)}=…`);
      process.stdout.write(
        `Usage: npm run sandbox -- [--guanyi-port=18101] [--dingtalk-port=18102] [--kingdee-port=18103] [--host=127.0.0.1]\n` +
          `                          ${keys.join(" ")}\n` +
          `Each flag also has an env form: SHUQIAO_SIM_<UPPER_SNAKE> (e.g. SHUQIAO_SIM_LATENCY_MS, SHUQIAO_SIM_GUANYI_PORT).\n`,
      );
      process.exit(0);
    }
    const m = /^--([A-Za-z][\w-]*)=(.*)$/.exec(a);
    if (!m) fail(`Unknown argument ${a}; use --key=value (see --help).`);
    out.set(m[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), m[2]);
  }
  return out;
}

const flags = parseFlags(process.argv.slice(2));
const known = new Set(["guanyiPort", "dingtalkPort", "kingdeePort", "host", ...SHARED_KEYS, ...Object.values(VENDOR_KEYS).flat()]);
for (const k of flags.keys()) if (!known.has(k)) fail(`Unknown option --${kebab(k)} (see --help).`);

function configOf(n: SimulatorName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...SHARED_KEYS, ...VENDOR_KEYS[n]]) {
    const v = flags.get(k) ?? process.env[`SHUQIAO_SIM_${upperSnake(k)}`];
    if (v !== undefined && v !== "") out[k] = v;
  }
  return out;
}

async function main(): Promise<void> {
  const names: SimulatorName[] = ["guanyi", "dingtalk", "kingdee"];
  const ports = Object.fromEntries(names.map((n) => [n, portOf(n)])) as Record<SimulatorName, number>;
  const host = flags.get("host") || process.env.SHUQIAO_SIM_HOST || "127.0.0.1";
  let sims: Awaited<ReturnType<typeof startSimulators>>;
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
