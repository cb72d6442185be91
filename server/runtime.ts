/**
 * The embedded server runtime, started once per web process (instrumentation.ts): tunes the database,
 * binds the sandbox connections to the running simulators, seeds the demo schemes, starts the run
 * queue (which resumes interrupted runs) and the cron scheduler.
 *
 * Why on globalThis: Next bundles route handlers separately from this hook; one runtime per process.
 * Why the simulators are found over HTTP: `npm start` may run them in-process or reuse ones already
 * running (`npm run sandbox`); either way their URLs come in SHUQIAO_SIM_*_URL and their demo
 * credentials from `/__sandbox/state`.
 *
 * Stopping (scripts/start.ts on SIGTERM/SIGINT, through globalThis.__shuqiaoRuntime): no new scheduled
 * runs, the queue takes no new run, and the runs executing here are suspended — they finish the
 * batches in flight and go back to `queued` with their checkpoint, resumed by the next start.
 */
import { db, tuneDb, type Db } from "./db";
import { env } from "./env";
import { seedDemoFlows } from "./flows/demo";
import { startEmbeddedQueue } from "./queue/embedded";
import { startScheduler, type SchedulerHandle } from "./queue/scheduler";
import { ensureSandboxConnections, type SimulatorSet } from "./runs/connections";
import { boundHeapGrowth } from "./runs/heap";
import { suspendLocalRuns } from "./runs/service";

type Runtime = { stop(): Promise<void> };
const g = globalThis as unknown as { __shuqiaoRuntime?: Promise<Runtime> };

async function sandboxSet(): Promise<SimulatorSet | null> {
  const urls = {
    guanyi: process.env.SHUQIAO_SIM_GUANYI_URL,
    dingtalk: process.env.SHUQIAO_SIM_DINGTALK_URL,
    kingdee: process.env.SHUQIAO_SIM_KINGDEE_URL,
  };
  if (!urls.guanyi || !urls.dingtalk || !urls.kingdee) return null;
  const entries = await Promise.all(
    (Object.entries(urls) as [keyof SimulatorSet, string][]).map(async ([vendor, url]) => {
      const res = await fetch(`${url}/__sandbox/state`, { signal: AbortSignal.timeout(5000) });
      const state = (await res.json()) as { credentials?: Record<string, unknown> };
      return [vendor, { url, credentials: state.credentials ?? {} }] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as SimulatorSet;
}

async function boot(client: Db): Promise<Runtime> {
  boundHeapGrowth();
  await tuneDb(client);
  if (env().sandbox) {
    try {
      const sims = await sandboxSet();
      if (sims) {
        await ensureSandboxConnections(client, sims);
        await seedDemoFlows(client);
      }
    } catch (e) {
      console.error(`[runtime] 沙箱连接未就绪 (sandbox connections not bound): ${(e as Error).message}`);
    }
  }
  const { queue, resumed } = await startEmbeddedQueue(client);
  if (resumed.length) console.log(`[runtime] 恢复中断的运行 (resuming interrupted runs): ${resumed.join(", ")}`);
  const scheduler: SchedulerHandle = startScheduler(client, queue);
  return {
    async stop() {
      const ticking = scheduler.stop();
      const draining = queue.stop(); // takes no new run; resolves when the runs in hand have returned
      const suspended = suspendLocalRuns();
      if (suspended.length) console.log(`[runtime] 服务停止，暂停运行 (suspending runs): ${suspended.join(", ")}`);
      await ticking;
      await draining;
    },
  };
}

export function startRuntime(): Promise<Runtime> {
  return (g.__shuqiaoRuntime ??= boot(db()));
}
