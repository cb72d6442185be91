/**
 * Worker of guanyi-memory.ts: reads every shop once, sampling RSS, and prints one JSON result line.
 *
 * Why this exists: peak RSS must be measured in a process that does nothing else.
 */
import { createSourceReader } from "../../connectors";
import type { ConnectionConfig } from "../../connectors";

async function main(): Promise<void> {
  const conn = JSON.parse(process.argv[2]) as ConnectionConfig;
  const mb = () => process.memoryUsage().rss / 1024 / 1024;
  const baselineRssMb = mb();
  let peak = baselineRssMb;
  const timer = setInterval(() => (peak = Math.max(peak, mb())), 10);
  const t0 = performance.now();
  let records = 0;
  let checksum = 0;
  const peakAt: Record<string, number> = {};
  let nextMark = 10_000;
  for await (const page of createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 100 }).read({ params: {} })) {
    records += page.records.length;
    for (const r of page.records) checksum += String(r.code).length; // touch every record, keep none
    peak = Math.max(peak, mb());
    if (records >= nextMark) {
      peakAt[String(nextMark)] = Math.round(peak * 10) / 10;
      nextMark *= nextMark < 100_000 ? 10 : 2;
    }
  }
  clearInterval(timer);
  const elapsedMs = performance.now() - t0;
  // live data after a full collection: what the reader actually retains (run with --expose-gc)
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGcMb = process.memoryUsage().heapUsed / 1024 / 1024;
  process.stdout.write(`${JSON.stringify({ records, elapsedMs, peakRssMb: peak, baselineRssMb, peakAt, heapAfterGcMb, checksum })}\n`);
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}

void main();
