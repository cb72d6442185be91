/**
 * Benchmark: the runs list's first page and a run's first 500 events, with 100,000 runs and 1,000,000
 * events, on SQLite and PostgreSQL, through tRPC's server-side caller (validation, superjson-free
 * result shaping and the Prisma queries — what the HTTP handler runs, minus the network).
 *
 * Why this exists: the target is "under 100 ms from the server" for both; this prints the median (and
 * p90) of several calls after warm-up, per query, per database, so a regression in an index or a query
 * shows as a number. Not a timed test: run it by hand.
 *
 * Usage: npx tsx server/bench/ui/runs-bench.ts [--runs 100000] [--events 1000000] [--only sqlite|postgres]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import { createTestDb, postgresAvailable, type Provider } from "@/server/testing/db";
import { seedRuns } from "./runs-seed";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function measure(fn: () => Promise<unknown>, n = 9): Promise<{ median: number; p90: number; min: number }> {
  for (let i = 0; i < 2; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { median: r(times[Math.floor(n / 2)]), p90: r(times[Math.floor(n * 0.9)]), min: r(times[0]) };
}

async function benchOne(provider: Provider, runs: number, events: number) {
  const t = await createTestDb(provider);
  try {
    console.log(`\n== ${provider}: seeding ${runs} runs, ${events} events …`);
    const seed = await seedRuns(t.db, { runs, events, log: (m) => console.log("  " + m) });
    if (provider === "postgres") await t.db.$executeRawUnsafe("ANALYZE");
    else await t.db.$queryRawUnsafe("ANALYZE");
    const api = createCaller(asAdmin(t.db));
    const big = seed.bigRunIds[0];
    const deep = await t.db.run.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: 5000, take: 1, select: { id: true, createdAt: true } });
    const deepCursor = `${deep[0].createdAt.getTime()}_${deep[0].id}`;
    const weekAgo = new Date(Date.now() - 7 * 86400_000);
    const cases: [string, () => Promise<unknown>][] = [
      ["runs.list first page (50)", () => api.runs.list({ limit: 50 })],
      ["runs.list page after 5,000 runs", () => api.runs.list({ limit: 50, cursor: deepCursor })],
      ["runs.list scheme filter", () => api.runs.list({ flowId: seed.flowIds[3], limit: 50 })],
      ["runs.list status=failed", () => api.runs.list({ status: "failed", limit: 50 })],
      ["runs.list trigger=api, last 7 days", () => api.runs.list({ trigger: "api", from: weekAgo, limit: 50 })],
      ["runs.activeCount", () => api.runs.activeCount()],
      ["runs.byId", () => api.runs.byId({ id: big })],
      ["runs.events first 500", () => api.runs.events({ runId: big, limit: 500 })],
      ["runs.events 500 after seq 40,000", () => api.runs.events({ runId: big, afterSeq: 40_000, limit: 500 })],
      ["runs.events errors only, first 500", () => api.runs.events({ runId: big, levels: ["error"], limit: 500 })],
    ];
    const results: Record<string, { median: number; p90: number; min: number }> = {};
    for (const [name, fn] of cases) {
      results[name] = await measure(fn);
      console.log(`  ${name.padEnd(40)} median ${String(results[name].median).padStart(6)} ms   p90 ${String(results[name].p90).padStart(6)} ms`);
    }
    return { provider, seed: { runs: seed.runs, events: seed.events, ms: seed.ms }, results };
  } finally {
    await t.drop();
  }
}

async function main() {
  const runs = Number(arg("runs", "100000"));
  const events = Number(arg("events", "1000000"));
  const only = arg("only", "");
  const providers: Provider[] = only ? [only as Provider] : ["sqlite", "postgres"];
  const out = [];
  for (const p of providers) {
    if (p === "postgres" && !(await postgresAvailable())) {
      console.warn("PostgreSQL not reachable: skipped");
      continue;
    }
    out.push(await benchOne(p, runs, events));
  }
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
  const dir = path.join(__dirname, "out");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `runs-bench-${Date.now()}.json`), JSON.stringify({ machine, at: new Date().toISOString(), out }, null, 2));
  console.log("\nmachine:", JSON.stringify(machine));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
