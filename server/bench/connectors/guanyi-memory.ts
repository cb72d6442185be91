/**
 * Benchmark: a Guanyi source reads N shops at zero latency with flat memory (peak RSS at 10k vs 100k).
 * Each measurement runs in a fresh worker process so one run's heap does not inflate the next.
 *
 * Run: npx tsx server/bench/connectors/guanyi-memory.ts [runs=3] [sizes=10000,100000]
 */
import os from "node:os";
import type { ConnectionConfig } from "../../connectors";
import { median, sandbox, spawnTs } from "./child";

interface Result {
  records: number;
  elapsedMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  /** peak RSS so far when 10k, 100k, 200k … records had been read */
  peakAt: Record<string, number>;
  heapAfterGcMb: number;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const child = await spawnTs<{ guanyi: string }>("sim-child.ts", ["guanyi"]);
  const url = child.first.guanyi;
  try {
    const st = await sandbox(url, "state");
    const c = st.credentials as Record<string, string>;
    const conn: ConnectionConfig = { vendor: "guanyi", baseUrl: url, sandbox: true, settings: { appkey: c.appkey }, secrets: { sessionkey: c.sessionkey, secret: c.secret } };
    console.log(`machine: ${os.cpus().length} cores (nproc), node ${process.version}, ${os.platform()} ${os.release()}`);
    console.log(`simulator: separate process, latency 0, page_size 100; ${runs} runs per size, each in a fresh process\n`);
    const sizes = (process.argv[3] ?? "10000,100000").split(",").map(Number);
    for (const n of sizes) {
      const res: Result[] = [];
      for (let i = 0; i < runs; i++) {
        await sandbox(url, "reset", { shops: n, latencyMs: 0, qps: 0 });
        const w = await spawnTs<Result>("guanyi-memory-worker.ts", [JSON.stringify(conn)], ["--expose-gc"]);
        res.push(w.first);
        await w.stop();
      }
      for (const r of res) console.log(`  ${n}: ${r.records} records in ${(r.elapsedMs / 1000).toFixed(2)} s, peak RSS ${r.peakRssMb.toFixed(1)} MB (baseline ${r.baselineRssMb.toFixed(1)} MB; peak so far at ${Object.entries(r.peakAt).map(([k, v]) => `${Number(k) / 1000}k: ${v}`).join(", ")} MB; heap after full GC ${r.heapAfterGcMb.toFixed(1)} MB)`);
      console.log(
        `${n} shops: median heap after GC ${median(res.map((r) => r.heapAfterGcMb)).toFixed(1)} MB, median peak RSS ${median(res.map((r) => r.peakRssMb)).toFixed(1)} MB, median ${(median(res.map((r) => r.elapsedMs)) / 1000).toFixed(2)} s (${Math.round(n / (median(res.map((r) => r.elapsedMs)) / 1000))} records/s)\n`,
      );
    }
  } finally {
    await child.stop();
  }
}

void main();
