/**
 * Throughput of compileMapper on a 6-field mapping (the seed's BD_Customer mapping plus an amount
 * and a date). Run: `npx tsx server/bench/mapping/throughput.ts [records] [runs]`.
 *
 * Why this exists: the engine maps every record of every run; the target is 100k records/s-class for
 * simple mappings. Prints records/s per run and the median.
 */
import os from "node:os";
import { compileMapper } from "../../mapping/mapper";
import type { FieldMapping } from "../../mapping/types";

export const BENCH_FIELDS: FieldMapping[] = [
  { field: "FName", type: "string", value: "{{name}}" },
  { field: "FNumber", type: "string", value: "{code}" },
  { field: "FCreateOrgId", type: "string", value: "100", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
  { field: "FUseOrgId", type: "string", value: "100", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
  { field: "FAmount", type: "number", value: "{{amount}}" },
  { field: "FDescription", type: "string", value: "店铺 {{code}} - {{name}}" },
];

export async function measure(n: number, runs: number): Promise<{ perRun: number[]; median: number }> {
  const records = Array.from({ length: n }, (_, i) => ({ id: i, code: `G${i}`, name: `店铺${i}`, amount: `${i}.50`, modified: "2024-03-01 09:00:00" }));
  const m = compileMapper(BENCH_FIELDS);
  const ctx = { vars: { LAST_SYNC_TIME: 1709254800, CURRENT_TIME: 1709258400 } };
  // warm-up
  for (let i = 0; i < Math.min(n, 20_000); i++) await m.map(records[i], ctx);
  const perRun: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    let errors = 0;
    for (const rec of records) errors += (await m.map(rec, ctx)).errors.length;
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    if (errors) throw new Error(`unexpected errors: ${errors}`);
    perRun.push(Math.round(n / secs));
  }
  const sorted = [...perRun].sort((a, b) => a - b);
  return { perRun, median: sorted[Math.floor(sorted.length / 2)] };
}

const isMain = process.argv[1]?.endsWith("throughput.ts");
if (isMain) {
  const n = Number(process.argv[2] ?? 200_000);
  const runs = Number(process.argv[3] ?? 7);
  measure(n, runs).then(({ perRun, median }) => {
    console.log(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, node ${process.version}`);
    console.log(`6-field mapping, ${n} records × ${runs} runs (await map() per record)`);
    console.log(`records/s per run: ${perRun.join(", ")}`);
    console.log(`median: ${median} records/s`);
  });
}
