/**
 * Benchmark: the mapper preview the designer calls as the analyst types — 20 sample records of the
 * 管易云 → 金蝶 example mapped through the scheme's steps and mapper, sample already fetched.
 * Goal (issue #8): under 200 ms per call. Not a test: run by hand, figures in README.md beside it.
 *
 *   npx tsx server/bench/preview/bench.ts [calls=50]
 */
import os from "node:os";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import { ensureSandboxConnections } from "@/server/runs/connections";
import { createTestDb } from "@/server/testing/db";
import { startSimulators } from "@/server/testing/simulators";
import { asAdmin } from "@/server/testing/auth";

process.env.SHUQIAO_SECRET_KEY ??= "44".repeat(32);

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 50);
  const sims = await startSimulators();
  const t = await createTestDb("sqlite");
  try {
    await ensureSandboxConnections(t.db, sims);
    const api = createCallerFactory(appRouter)(asAdmin(t.db));
    const sample = await api.preview.sample({ document: guanyi, limit: 20 });
    await api.preview.map({ document: guanyi, records: sample.records }); // warm-up
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await api.preview.map({ document: guanyi, records: sample.records });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
    console.log(`machine: ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`);
    console.log(`preview.map, 20 records, ${calls} calls: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
  } finally {
    await t.drop();
    await sims.close();
  }
}

void main();
