/**
 * The simulators in a process of their own for the engine benchmark (zero latency, no faults).
 *
 * Why this exists: a benchmark that shares one event loop with the simulators measures both.
 * Usage: tsx sims.ts <shops>. Prints one JSON line {guanyi, dingtalk, kingdee} (urls) and runs until
 * stdin closes or SIGTERM.
 */
import { startSimulators } from "../../testing/simulators";

async function main(): Promise<void> {
  const shops = Number(process.argv[2] ?? 100_000);
  const sims = await startSimulators({ config: { guanyi: { shops }, kingdee: {}, dingtalk: {} } });
  process.stdout.write(`${JSON.stringify({ guanyi: sims.guanyi.url, dingtalk: sims.dingtalk.url, kingdee: sims.kingdee.url })}\n`);
  const stop = async () => {
    await sims.close();
    process.exit(0);
  };
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
  process.on("SIGTERM", () => void stop());
}

void main();
