/**
 * Embedded mode wiring: an in-process queue whose handler executes runs with the engine, plus resume
 * of interrupted runs on start.
 *
 * Why this exists: the server calls one function at start and gets a queue to enqueue runs into (from
 * tRPC mutations and the scheduler); the CLI uses the same pieces.
 */
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { executeRun, resumeInterruptedRuns } from "@/server/runs/service";
import { InProcessQueue, type Queue, setRunQueue } from "./index";

/**
 * Starts the in-process run queue (registered as the process's run queue) and resumes interrupted/queued
 * runs. It executes SHUQIAO_RUN_CONCURRENCY runs at once (server/env.ts), so a few slow schemes do not
 * hold up every other one.
 */
export async function startEmbeddedQueue(db: Db, opts: { concurrency?: number } = {}): Promise<{ queue: Queue; resumed: string[] }> {
  const queue = new InProcessQueue(opts.concurrency ?? env().runConcurrency);
  queue.start(async (runId) => {
    await executeRun(db, runId);
  });
  setRunQueue(queue);
  const resumed = await resumeInterruptedRuns(db, queue);
  return { queue, resumed };
}

/** Hands a run to the process's queue, or executes it in the background when no queue was started. */
export async function dispatchRun(db: Db, runId: string): Promise<void> {
  const { getRunQueue } = await import("./index");
  const q = getRunQueue();
  if (q) await q.enqueue(runId);
  else void executeRun(db, runId).catch((e) => console.error(`[runs] run ${runId} failed:`, e));
}
