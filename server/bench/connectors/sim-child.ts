/**
 * Runs vendor simulators in their own process for the connector benchmarks.
 *
 * Why this exists: a benchmark that shares one event loop with the simulator measures both; in a
 * child process the simulator's work (latency timers, JSON) does not steal time from the connector.
 * Prints one JSON line {"guanyi": url, "dingtalk": url} and runs until stdin closes or SIGTERM.
 */
import { startDingtalkSimulator } from "../../testing/simulators/dingtalk";
import { startGuanyiSimulator } from "../../testing/simulators/guanyi";

async function main(): Promise<void> {
  const which = (process.argv[2] ?? "guanyi,dingtalk").split(",");
  const handles: { close(): Promise<void> }[] = [];
  const urls: Record<string, string> = {};
  if (which.includes("guanyi")) {
    const h = await startGuanyiSimulator({ config: { shops: 100_000 } });
    handles.push(h);
    urls.guanyi = h.url;
  }
  if (which.includes("dingtalk")) {
    const h = await startDingtalkSimulator({ config: { maxSpanDays: 0 } });
    handles.push(h);
    urls.dingtalk = h.url;
  }
  process.stdout.write(`${JSON.stringify(urls)}\n`);
  const stop = async () => {
    await Promise.all(handles.map((h) => h.close()));
    process.exit(0);
  };
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
  process.on("SIGTERM", () => void stop());
}

void main();
