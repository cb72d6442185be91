/**
 * The scheduler: starts runs of flows whose cron schedule is due.
 *
 * Why this exists: most schemes run on a timer (every 15 minutes, nightly). Rules: cron expressions in
 * the flow's time zone (Asia/Shanghai by default, cron-parser 5); never two runs of one flow at once (a
 * tick that finds the flow still running skips it); schedules missed while the server was down run
 * once at start, not once per missed slot. The next due time is stored on the Flow row (nextRunAt) so
 * the rule survives restarts.
 */
import { CronExpressionParser } from "cron-parser";
import type { Db } from "@/server/db";
import { hasActiveRun, RunConflictError, startRun } from "@/server/runs/service";
import type { Queue } from "./index";

export function nextCronTime(cron: string, tz: string, after: Date): Date {
  const expr = CronExpressionParser.parse(cron, { currentDate: after, tz });
  return expr.next().toDate();
}

/** Checks a cron expression; returns a message a person can act on, or null. */
export function checkCron(cron: string, tz = "Asia/Shanghai"): string | null {
  try {
    nextCronTime(cron, tz, new Date());
    return null;
  } catch (e) {
    return `定时表达式无效「${cron}」：${e instanceof Error ? e.message : String(e)} (invalid cron expression)`;
  }
}

/** One scheduling pass; returns the run ids it created. Exported for tests and for the CLI. */
export async function scheduleTick(db: Db, queue: Pick<Queue, "enqueue">, now = new Date()): Promise<string[]> {
  const flows = await db.flow.findMany({
    where: { deletedAt: null, schedule: { not: null }, schedulePaused: false },
    select: { id: true, schedule: true, scheduleTz: true, nextRunAt: true, currentVersion: true },
  });
  const created: string[] = [];
  for (const f of flows) {
    if (!f.schedule || f.currentVersion < 1) continue;
    let next: Date;
    try {
      next = nextCronTime(f.schedule, f.scheduleTz || "Asia/Shanghai", now);
    } catch (e) {
      console.error(`[scheduler] flow ${f.id}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!f.nextRunAt) {
      await db.flow.update({ where: { id: f.id }, data: { nextRunAt: next } });
      continue;
    }
    if (f.nextRunAt.getTime() > now.getTime()) continue;
    // Due (possibly several slots ago while we were down): run once, then schedule the next slot after now.
    const claimed = await db.flow.updateMany({ where: { id: f.id, nextRunAt: f.nextRunAt }, data: { nextRunAt: next } });
    if (claimed.count === 0) continue; // another scheduler took this slot
    if (await hasActiveRun(db, f.id)) continue; // no overlapping runs of one flow
    try {
      // an interrupted run of the flow is resumed (and counts as this slot's run)
      const { runId } = await startRun(db, { flowId: f.id, trigger: "schedule" });
      await queue.enqueue(runId);
      created.push(runId);
    } catch (e) {
      // started elsewhere between the check and the insert (the database allows one active run): skip
      if (e instanceof RunConflictError) continue;
      // One scheme that cannot start (e.g. its current version does not compile) must not hold up the others.
      console.error(`[scheduler] 方案 ${f.id} 定时运行未能创建 (scheduled run not created): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return created;
}

export interface SchedulerHandle {
  stop(): Promise<void>;
}

/** Starts ticking (default every 15 s; the first tick runs at once so missed schedules run at start). */
export function startScheduler(db: Db, queue: Pick<Queue, "enqueue">, opts: { intervalMs?: number } = {}): SchedulerHandle {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = scheduleTick(db, queue).catch((e) => console.error("[scheduler] tick failed:", e));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 15_000);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
