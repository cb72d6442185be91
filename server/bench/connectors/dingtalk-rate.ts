/**
 * Benchmark: does the DingTalk source keep the 20 req/s per-API limit nearly full without provoking
 * a single 90018? Simulator in a child process with 50 ms latency and qps 20 (fixed 1-second windows).
 *
 * Run: npx tsx server/bench/connectors/dingtalk-rate.ts [instances=300] [runs=3]
 */
import os from "node:os";
import { createSourceReader, clearAuthCache, MemoryRateLimitStore } from "../../connectors";
import type { CallReport, ConnectionConfig } from "../../connectors";
import { median, sandbox, spawnTs } from "./child";

interface Variant {
  name: string;
  detailRateLimit?: Record<string, unknown>;
  rateLimit?: Record<string, unknown>;
  concurrency: number;
}

async function runOnce(url: string, conn: ConnectionConfig, processCode: string, v: Variant) {
  await sandbox(url, "reset", { latencyMs: 50, jitterMs: 0, qps: 20, maxSpanDays: 0 });
  clearAuthCache();
  const detailStarts: number[] = [];
  const observer = {
    onCall: (r: CallReport) => {
      if (r.apiAsset === "dingtalk.processinstance.get") detailStarts.push(performance.now() - r.durationMs + r.rateLimitWaitMs);
    },
  };
  const reader = createSourceReader(
    conn,
    "dingtalk.processinstance",
    { processCode, concurrency: v.concurrency, detailRateLimit: v.detailRateLimit, rateLimit: v.rateLimit, retry: { maxAttempts: 10 } },
    { observer, rateLimits: new MemoryRateLimitStore() },
  );
  const t0 = performance.now();
  let records = 0;
  for await (const p of reader.read({ params: { start_time: 0, end_time: Date.now() } })) records += p.records.length;
  const elapsed = (performance.now() - t0) / 1000;
  const st = await sandbox(url, "state");
  const requests = st.requests as Record<string, number>;
  const errors = st.errors as Record<string, number>;
  const gets = requests["topapi/processinstance/get"] ?? 0;
  const rateErrors = Object.entries(errors)
    .filter(([k]) => k.endsWith(":90018"))
    .reduce((a, [, n]) => a + n, 0);
  return { records, elapsed, gets, getRate: gets / elapsed, utilisation: gets / elapsed / 20, rateErrors };
}

async function main(): Promise<void> {
  const instances = Number(process.argv[2] ?? 300);
  const runs = Number(process.argv[3] ?? 3);
  const child = await spawnTs<{ dingtalk: string }>("sim-child.ts", ["dingtalk"]);
  const url = child.first.dingtalk;
  try {
    const st = await sandbox(url, "state");
    const creds = st.credentials as Record<string, string>;
    const processCode = (st.processCodes as { process_code: string }[])[0].process_code;
    await sandbox(url, "config", { approvals: instances * 2 });
    const conn: ConnectionConfig = { vendor: "dingtalk", baseUrl: url, sandbox: true, settings: { appkey: creds.appkey }, secrets: { appsecret: creds.appsecret } };
    const variants: Variant[] = [
      { name: "default (burst 1, 95 % of 20/s, concurrency 4)", concurrency: 4 },
      { name: "naive bucket (burst 20, 100 % of 20/s, no sliding-window guard)", concurrency: 8, detailRateLimit: { burst: 20, safetyFactor: 1, strictWindow: false }, rateLimit: { burst: 20, safetyFactor: 1, strictWindow: false } },
    ];
    console.log(`machine: ${os.cpus().length} cores (nproc), node ${process.version}, ${os.platform()} ${os.release()}`);
    console.log(`simulator: separate process, latencyMs 50, qps 20 (fixed 1 s windows); ${instances} instances per run; ${runs} runs\n`);
    for (const v of variants) {
      const res = [];
      for (let i = 0; i < runs; i++) res.push(await runOnce(url, conn, processCode, v));
      console.log(`${v.name}`);
      for (const r of res) console.log(`  run: ${r.records} records, ${r.gets} get calls in ${r.elapsed.toFixed(2)} s → ${r.getRate.toFixed(2)} req/s, utilisation ${r.utilisation.toFixed(3)}, 90018 errors ${r.rateErrors}`);
      console.log(`  median: ${median(res.map((r) => r.getRate)).toFixed(2)} req/s = ${median(res.map((r) => r.utilisation)).toFixed(3)} of allowed; 90018 errors median ${median(res.map((r) => r.rateErrors))}\n`);
    }
  } finally {
    await child.stop();
  }
}

void main();
