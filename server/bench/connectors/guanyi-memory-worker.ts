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
  for await (const page of createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 100 }).read({ params: {} })) {
    records += page.records.length;
    for (const r of page.records) checksum += String(r.code).length; // touch every record, keep none
    peak = Math.max(peak, mb());
  }
  clearInterval(timer);
  const elapsedMs = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ records, elapsedMs, peakRssMb: peak, baselineRssMb, checksum })}\n`);
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}

void main();
