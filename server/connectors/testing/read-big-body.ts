/**
 * Child-process fixture for the bounded-memory test: reads one Guanyi page from the URL in argv[2]
 * with the default response limit and prints what happened plus this process's peak RSS as JSON.
 *
 * Why this exists: peak memory is only measurable per process; the test runs this under tsx so the
 * test runner's own heap does not blur the figure.
 */
import { ConnectorError, createSourceReader } from "../index";
import { LOCAL_TEST_POLICY } from "./sim-helpers";

async function main(): Promise<void> {
  const url = process.argv[2];
  const conn = { vendor: "guanyi", baseUrl: url, outbound: LOCAL_TEST_POLICY, settings: { appkey: "1" }, secrets: { sessionkey: "s", secret: "t" } };
  let records = 0;
  let error: Record<string, unknown> | undefined;
  try {
    for await (const p of createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 100 }).read({ params: {} })) records += p.records.length;
  } catch (e) {
    error = e instanceof ConnectorError ? { message: e.message, failureType: e.failureType, attempts: e.attempts } : { message: String(e) };
  }
  // resourceUsage().maxRSS is the peak resident set size in kilobytes
  process.stdout.write(`${JSON.stringify({ records, error, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

void main();
