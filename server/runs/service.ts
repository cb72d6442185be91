/**
 * Runs as the application sees them: create a Run row, execute it with the engine and the Prisma
 * hooks, heartbeat while it runs, finish it (counts, status, watermark), cancel, rerun, and resume
 * runs that were interrupted (process killed, machine rebooted).
 *
 * Why this exists: the engine knows plans, not rows. Everything that ties a run to the database —
 * which version it executes, which window it reads, who is running it right now (workerId +
 * heartbeat, so "interrupted" can be told from "running elsewhere"), where it resumes — lives here, and
 * the CLI, the tRPC routers, the queue and the scheduler all call these functions.
 */
import os from "node:os";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { executePlan } from "@/server/engine/executor";
import { type Counts, emptyCounts, type Plan, type ResumeState, type RunResult, type RunSelection } from "@/server/engine/types";
import { compileFlow, formatProblems } from "@/server/flows/compile";
import { getFlowVersion } from "@/server/flows/store";
import { connectionInfo, resolveConnection, sandboxResolver } from "./connections";
import { createRunHooks, pruneBatches } from "./ledger-store";
import { logBus } from "./log-bus";
import { ledgerFindCollection } from "./find-collection";

export type RunStatus = "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";
export type RunMode = "full" | "failed_only" | "records";

export interface RunOptions {
  sandbox?: boolean;
  sourceIds?: string[];
}

export interface RunSummary {
  runId: string;
  flowId: string;
  status: RunStatus;
  counts: Counts;
  durationMs: number;
  error?: string | null;
}

export class RunError extends DomainError {
  constructor(message: string, code: "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST" = "BAD_REQUEST") {
    super(code, message);
  }
}

/** Heartbeat period; a running run whose heartbeat is older than STALE_MS is considered interrupted. */
export const HEARTBEAT_MS = 2_000;
export const STALE_MS = 30_000;

export const WORKER_ID = `${os.hostname()}:${process.pid}`;

/** Runs executing in this process (for cancel, and so we never treat our own run as interrupted). */
const local = new Map<string, AbortController>();

type RunRow = NonNullable<Awaited<ReturnType<Db["run"]["findUnique"]>>>;

function countsOf(r: RunRow): Counts {
  return { read: r.countRead, filtered: r.countFiltered, invalid: r.countInvalid, skipped: r.countSkipped, written: r.countWritten, failed: r.countFailed };
}

export function summaryOf(r: RunRow): RunSummary {
  const start = r.startedAt ?? r.createdAt;
  const end = r.finishedAt ?? new Date();
  return { runId: r.id, flowId: r.flowId, status: r.status as RunStatus, counts: countsOf(r), durationMs: end.getTime() - start.getTime(), error: r.error };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A "running" run nobody is executing any more: its worker died (same host, pid gone) or went silent. */
export function isInterrupted(r: Pick<RunRow, "id" | "status" | "workerId" | "heartbeatAt">, now = Date.now()): boolean {
  if (r.status !== "running") return false;
  if (local.has(r.id)) return false;
  const [host, pidText] = (r.workerId ?? "").split(":");
  if (host === os.hostname() && pidText) {
    const pid = Number(pidText);
    if (pid === process.pid) return true; // ours by id but not executing here: a previous life of this pid
    if (!pidAlive(pid)) return true;
  }
  return !r.heartbeatAt || now - r.heartbeatAt.getTime() > STALE_MS;
}

/** Creates a queued run of a flow version (default: the flow's current version). */
export async function createRun(
  db: Db,
  input: { flowId: string; version?: number; trigger?: string; mode?: RunMode; parentRunId?: string; options?: RunOptions },
): Promise<string> {
  const { version } = await getFlowVersion(db, input.flowId, input.version);
  const run = await db.run.create({
    data: {
      flowId: input.flowId,
      flowVersionId: version.id,
      trigger: input.trigger ?? "manual",
      mode: input.mode ?? "full",
      parentRunId: input.parentRunId,
      options: (input.options ?? {}) as object,
      status: "queued",
    },
  });
  return run.id;
}

/** Creates a rerun of a run: whole (same or current version), failed rows only, or chosen records. */
export async function createRerun(
  db: Db,
  input: { runId: string; mode: "whole" | "failed_only" | "records"; useCurrentVersion?: boolean; sourceIds?: string[] },
): Promise<string> {
  const parent = await db.run.findUnique({ where: { id: input.runId }, include: { flowVersion: true, flow: true } });
  if (!parent) throw new RunError(`运行 ${input.runId} 不存在 (run not found)`, "NOT_FOUND");
  if (input.mode === "records" && !input.sourceIds?.length) throw new RunError("请指定要重推的记录 ID (sourceIds required for a records rerun)");
  const version = input.useCurrentVersion ? parent.flow.currentVersion : parent.flowVersion.number;
  const parentOptions = (parent.options ?? {}) as RunOptions;
  return createRun(db, {
    flowId: parent.flowId,
    version,
    trigger: "rerun",
    mode: input.mode === "whole" ? "full" : input.mode,
    parentRunId: parent.id,
    options: { sandbox: parentOptions.sandbox, ...(input.sourceIds ? { sourceIds: input.sourceIds } : {}) },
  });
}

/** Asks a run to stop after its in-flight batch (works across processes through the Run row). */
export async function cancelRun(db: Db, runId: string): Promise<RunStatus> {
  const run = await db.run.findUnique({ where: { id: runId } });
  if (!run) throw new RunError(`运行 ${runId} 不存在 (run not found)`, "NOT_FOUND");
  if (run.status === "queued") {
    const r = await db.run.updateMany({ where: { id: runId, status: "queued" }, data: { status: "cancelled", cancelRequested: true, finishedAt: new Date() } });
    if (r.count) return "cancelled";
  }
  if (run.status !== "running" && run.status !== "queued") return run.status as RunStatus;
  await db.run.update({ where: { id: runId }, data: { cancelRequested: true } });
  local.get(runId)?.abort();
  return "running";
}

function windowVars(run: RunRow): Record<string, unknown> {
  const start = run.windowStart ? Math.floor(run.windowStart.getTime() / 1000) : undefined;
  const end = Math.floor((run.windowEnd ?? run.createdAt).getTime() / 1000);
  return { LAST_SYNC_TIME: start, CURRENT_TIME: end, WINDOW_START: start, WINDOW_END: end };
}

async function computeWindow(db: Db, plan: Plan, now: Date): Promise<{ windowStart: Date; windowEnd: Date }> {
  const wm = await db.watermark.findUnique({ where: { flowId: plan.flowId } });
  const inc = plan.incremental;
  let start: Date;
  if (wm) start = new Date(wm.lastSyncAt.getTime() - inc.overlapSec * 1000);
  else if (inc.initialStart && !Number.isNaN(Date.parse(inc.initialStart))) start = new Date(inc.initialStart);
  else start = new Date(now.getTime() - (inc.initialLookbackSec ?? 30 * 86400) * 1000);
  return { windowStart: start, windowEnd: now };
}

async function finishWithError(db: Db, run: RunRow, message: string): Promise<RunSummary> {
  const hooks = await createRunHooks(db, run);
  hooks.event({ type: "run.finished", level: "error", message: `运行失败：${message}`, data: { status: "failed", counts: countsOf(run), error: message } });
  const done = await db.run.update({ where: { id: run.id }, data: { status: "failed", error: message, finishedAt: new Date(), lastSeq: hooks.lastSeq() } });
  await hooks.drain();
  return summaryOf(done);
}

/**
 * Executes a queued run, or resumes an interrupted one from its checkpoint. Resolves when the run has
 * finished (whatever its status); throws RunError only when the run cannot be claimed.
 */
export async function executeRun(db: Db, runId: string, opts: { onStart?: (info: { resumed: boolean }) => void } = {}): Promise<RunSummary> {
  const before = await db.run.findUnique({ where: { id: runId } });
  if (!before) throw new RunError(`运行 ${runId} 不存在 (run not found)`, "NOT_FOUND");
  const resumed = before.status === "running";
  if (resumed && !isInterrupted(before)) throw new RunError(`运行 ${runId} 正在别处执行 (running elsewhere: ${before.workerId})`, "CONFLICT");
  if (!resumed && before.status !== "queued") return summaryOf(before);

  // Never two runs of one flow at once: their ledgers would race on the same records.
  const others = await db.run.findMany({
    where: { flowId: before.flowId, status: "running", id: { not: runId } },
    select: { id: true, status: true, workerId: true, heartbeatAt: true },
  });
  const busy = others.find((o) => !isInterrupted(o));
  if (busy) {
    return finishWithError(db, before, `同一方案已有运行 ${busy.id} 在进行中，本次未执行 (another run of this flow is in progress)`);
  }
  const now = new Date();
  const claimed = await db.run.updateMany({
    where: { id: runId, status: before.status, workerId: before.workerId },
    data: { status: "running", workerId: WORKER_ID, heartbeatAt: now, ...(before.startedAt ? {} : { startedAt: now }) },
  });
  if (claimed.count === 0) throw new RunError(`运行 ${runId} 已被其他进程接手 (claimed by another worker)`, "CONFLICT");
  const controller = new AbortController();
  local.set(runId, controller);
  try {
    let run = (await db.run.findUnique({ where: { id: runId }, include: { flowVersion: true } })) as RunRow & { flowVersion: { number: number; document: unknown } };
    const options = (run.options ?? {}) as RunOptions;
    const compiled = await compileFlow(run.flowVersion.document, {
      flowId: run.flowId,
      flowVersion: run.flowVersion.number,
      resolveConnection: options.sandbox ? async () => ({ vendor: "" }) : (id) => connectionInfo(db, id),
    });
    if (!compiled.ok) return await finishWithError(db, run, "方案检查未通过 (flow has problems)：\n" + formatProblems(compiled.problems));
    const plan = compiled.plan;
    if (!run.windowEnd) {
      run = { ...run, ...(await db.run.update({ where: { id: runId }, data: await computeWindow(db, plan, run.createdAt) })) };
    }
    opts.onStart?.({ resumed });

    const cp = run.checkpoint as { next?: Record<string, unknown>; done?: boolean } | null;
    const resume: ResumeState | null =
      resumed && cp ? { next: cp.done ? null : (cp.next ?? null), pages: run.pages, counts: countsOf(run) } : resumed ? { next: null, pages: 0, counts: emptyCounts() } : null;
    // A resumed run with no checkpoint yet starts reading from the beginning (its ledger rows make it idempotent).
    const resumeState = resume && !cp ? null : resume;

    const selection: RunSelection =
      run.mode === "failed_only" && run.parentRunId
        ? { mode: "failed_only", parentRunId: run.parentRunId }
        : run.mode === "records"
          ? { mode: "records", sourceIds: options.sourceIds ?? [] }
          : { mode: "full" };

    const vendorOfConnection = (id: string) => {
      if (id === plan.source.connectionId) return plan.source.apiId.split(".")[0];
      if (id === plan.target.connectionId) return plan.target.apiId.split(".")[0];
      return undefined;
    };
    const connections = options.sandbox ? sandboxResolver(db, vendorOfConnection) : (id: string) => resolveConnection(db, id);

    const hooks = await createRunHooks(db, run);
    const heartbeat = setInterval(() => {
      db.run
        .update({ where: { id: runId }, data: { heartbeatAt: new Date() }, select: { cancelRequested: true } })
        .then((r) => {
          if (r.cancelRequested && !controller.signal.aborted) controller.abort();
        })
        .catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref?.();
    if (run.cancelRequested) controller.abort();

    let result: RunResult;
    try {
      result = await executePlan(plan, hooks, {
        runId,
        connections,
        selection,
        resume: resumeState,
        vars: windowVars(run),
        signal: controller.signal,
        findCollection: ledgerFindCollection(db),
      });
    } finally {
      clearInterval(heartbeat);
    }

    const finishedAt = new Date();
    const done = await db.run.update({
      where: { id: runId },
      data: {
        status: result.status,
        countRead: result.counts.read,
        countFiltered: result.counts.filtered,
        countInvalid: result.counts.invalid,
        countSkipped: result.counts.skipped,
        countWritten: result.counts.written,
        countFailed: result.counts.failed,
        pages: result.pages,
        ...(result.sourceTotal !== undefined ? { sourceTotal: result.sourceTotal } : {}),
        stageTimings: result.timings as unknown as object,
        error: result.error ?? null,
        finishedAt,
        heartbeatAt: finishedAt,
        lastSeq: hooks.lastSeq(),
      },
    });
    if (selection.mode === "full" && (result.status === "succeeded" || result.status === "partial") && run.windowEnd) {
      // CHOICE: "partial" also advances the watermark — its failed/invalid rows are in the ledger with
      // their reasons and are re-pushed by a failed-only rerun; holding the window back would re-read
      // a growing window forever because of one bad record.
      await db.watermark.upsert({
        where: { flowId: run.flowId },
        create: { flowId: run.flowId, lastSyncAt: run.windowEnd, lastRunId: runId },
        update: { lastSyncAt: run.windowEnd, lastRunId: runId },
      });
    }
    if (result.counts.written + result.counts.failed > 0) {
      // housekeeping, never the run's outcome: batches whose every record was written again since
      await pruneBatches(db, run.flowId).catch((e) => console.error(`[runs] could not prune old batches of flow ${run.flowId}:`, e));
    }
    await hooks.drain();
    return summaryOf(done);
  } catch (e) {
    const cur = await db.run.findUnique({ where: { id: runId } });
    if (cur && cur.status === "running") return finishWithError(db, cur, e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    local.delete(runId);
  }
}

/** Runs that were running when their process died (or that are still queued), oldest first. */
export async function findInterruptedRuns(db: Db, flowId?: string): Promise<{ id: string; flowId: string; status: string }[]> {
  const rows = await db.run.findMany({
    where: { status: { in: ["running", "queued"] }, ...(flowId ? { flowId } : {}) },
    orderBy: { createdAt: "asc" },
    select: { id: true, flowId: true, status: true, workerId: true, heartbeatAt: true },
  });
  return rows.filter((r) => r.status === "queued" || isInterrupted(r));
}

/**
 * Called by the server on start: every interrupted run resumes from its checkpoint and every queued
 * run starts — through the queue when one is given (embedded mode), else right here in the background.
 */
export async function resumeInterruptedRuns(db: Db, queue?: { enqueue(runId: string): Promise<void> }): Promise<string[]> {
  const runs = await findInterruptedRuns(db);
  for (const r of runs) {
    if (queue) await queue.enqueue(r.id);
    else void executeRun(db, r.id).catch((e) => console.error(`[runs] resume ${r.id} failed:`, e));
  }
  return runs.map((r) => r.id);
}

export async function getRunSummary(db: Db, runId: string): Promise<RunSummary> {
  const run = await db.run.findUnique({ where: { id: runId } });
  if (!run) throw new RunError(`运行 ${runId} 不存在 (run not found)`, "NOT_FOUND");
  return summaryOf(run);
}

/** Whether a flow has a run in progress (no overlapping runs of one flow). */
export async function hasActiveRun(db: Db, flowId: string): Promise<boolean> {
  const runs = await db.run.findMany({ where: { flowId, status: { in: ["queued", "running"] } }, select: { id: true, status: true, workerId: true, heartbeatAt: true } });
  return runs.some((r) => r.status === "queued" || !isInterrupted(r));
}

export { logBus };
