/**
 * Diagnostic: the engine's pipeline with in-memory hooks (no database at all), to split the engine's
 * overhead into "pipeline" and "persistence". Usage: tsx nohooks.ts <urls-json> <records>
 */
import { GUANYI_CREDENTIALS, KINGDEE_CREDENTIALS } from "../../testing/simulators";
import { compileFlow } from "../../flows/compile";
import { executePlan } from "../../engine/executor";
import type { LedgerEntry, RunHooks } from "../../engine/types";
import type { ConnectionConfig } from "../../connectors/types";
import doc from "../../../examples/guanyi-shops-to-kingdee-customers.json";

async function main(): Promise<void> {
  const urls = JSON.parse(process.argv[2]) as { guanyi: string; kingdee: string };
  const compiled = await compileFlow(doc, { flowId: "bench" });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const ledger = new Map<string, LedgerEntry>();
  const hooks: RunHooks = {
    ledger: {
      async get(ids) {
        return new Map(ids.filter((i) => ledger.has(i)).map((i) => [i, ledger.get(i) as LedgerEntry]));
      },
      async openIntent() {},
      async settle() {},
      async uncertain() {
        return [];
      },
      async select() {
        return [];
      },
    },
    async checkpoint() {},
    event() {},
  };
  const t0 = performance.now();
  const r = await executePlan(compiled.plan, hooks, {
    runId: "r",
    selection: { mode: "full" },
    vars: {},
    connections: async (id): Promise<ConnectionConfig> =>
      id === "沙箱-管易云"
        ? { vendor: "guanyi", baseUrl: urls.guanyi, sandbox: true, settings: { appkey: GUANYI_CREDENTIALS.appkey }, secrets: { sessionkey: GUANYI_CREDENTIALS.sessionkey, secret: GUANYI_CREDENTIALS.secret } }
        : { vendor: "kingdee", baseUrl: `${urls.kingdee}/k3cloud/`, sandbox: true, settings: { acctId: KINGDEE_CREDENTIALS.acctId, username: KINGDEE_CREDENTIALS.username, appId: KINGDEE_CREDENTIALS.appId, lcid: KINGDEE_CREDENTIALS.lcid }, secrets: { appSecret: KINGDEE_CREDENTIALS.appSecret, password: KINGDEE_CREDENTIALS.password } },
  });
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ mode: "engine-no-db", written: r.counts.written, ms: Math.round(ms), rps: Math.round((r.counts.written / ms) * 1000), timings: r.timings }) + "\n");
}

void main().then(() => process.exit(0));
