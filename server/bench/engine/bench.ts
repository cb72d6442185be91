/**
 * Engine benchmark: N Guanyi shops → Kingdee BD_Customer at zero simulator latency, embedded SQLite,
 * the full ledger on — against a bare hand-written loop doing the same HTTP calls (the ceiling).
 *
 *   npx tsx server/bench/engine/bench.ts [records=100000] [rounds=1] [modes=bare,engine]
 *     bare: the hand-written loop — fetch a page, map it, save it, repeat (no read-ahead)
 *     bare-ahead: the same loop on the connector's default reader, which requests the next page
 *       while the current one is saved (one page of overlap; for comparison)
 *   BENCH_NODE_FLAGS="--max-old-space-size=96" …   flags for the measured processes (bounded-heap proof)
 *
 * Each workload runs in a fresh process; the simulators run in another one and are reset between
 * workloads. Prints one line per workload and a summary (ratio engine/bare). Not a test.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

const here = __dirname;

function spawnLine(script: string, args: string[], flags: string[] = []): Promise<{ line: string; exit: Promise<number | null>; kill(): void; end(): void }> {
  const proc = spawn(process.execPath, [...flags, "--import", "tsx", path.join(here, script), ...args], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, NODE_NO_WARNINGS: "1" } });
  const rl = createInterface({ input: proc.stdout });
  const exit = new Promise<number | null>((r) => proc.on("exit", (c) => r(c)));
  return new Promise((resolve, reject) => {
    rl.once("line", (line) => resolve({ line, exit, kill: () => proc.kill("SIGTERM"), end: () => proc.stdin.end() }));
    proc.once("exit", (c) => reject(new Error(`${script} exited with ${c}`)));
  });
}

type Mode = "bare" | "bare-ahead" | "engine";
type Result = { rps: number; peakRssMB: number; written: number; ms: number; cpuMs: number; rssSamplesMB: number[] };

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 100_000);
  const rounds = Number(process.argv[3] ?? 1);
  const modes = (process.argv[4] ?? "bare,engine").split(",") as Mode[];
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const sims = await spawnLine("sims.ts", [String(records)]);
  const urls = JSON.parse(sims.line) as { kingdee: string };
  console.log(`machine: ${os.cpus().length} cpus (${os.cpus()[0]?.model}), node ${process.version}; records ${records}`);
  const results: Record<Mode, Result[]> = { bare: [], "bare-ahead": [], engine: [] };
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      await fetch(`${urls.kingdee}/__sandbox/reset`, { method: "POST", body: "{}" });
      const w = await spawnLine("worker.ts", [mode, sims.line, String(records)], flags);
      await w.exit;
      const res = JSON.parse(w.line) as Result;
      console.log(w.line);
      if (res.written !== records) console.log(`!! ${mode}: wrote ${res.written} of ${records}`);
      results[mode].push(res);
    }
  }
  // The workloads of a round run back to back; the per-round ratio is the figure to read (the
  // machine's speed moves between rounds), summarised by its median.
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length ? (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) : 0;
  };
  const ratiosTo = (base: Mode) =>
    results.engine.map((e, i) => (results[base][i] ? Number((e.rps / results[base][i].rps).toFixed(2)) : null)).filter((x): x is number => x !== null);
  const ratios = ratiosTo("bare");
  const ratiosAhead = ratiosTo("bare-ahead");
  console.log(
    JSON.stringify({
      records,
      bareRpsMedian: median(results.bare.map((x) => x.rps)),
      ...(results["bare-ahead"].length ? { bareAheadRpsMedian: median(results["bare-ahead"].map((x) => x.rps)) } : {}),
      engineRpsMedian: median(results.engine.map((x) => x.rps)),
      ratios,
      ratioMedian: ratios.length ? median(ratios) : null,
      ...(ratiosAhead.length ? { ratiosToBareAhead: ratiosAhead, ratioToBareAheadMedian: median(ratiosAhead) } : {}),
      enginePeakRssMB: Math.max(0, ...results.engine.map((x) => x.peakRssMB)),
      barePeakRssMB: Math.max(0, ...results.bare.map((x) => x.peakRssMB)),
      nodeFlags: flags,
    }),
  );
  sims.end();
  sims.kill();
}

void main();
