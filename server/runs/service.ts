/**
 * Runs as the application sees them: create a Run row, execute it with the engine and the Prisma
 * hooks, heartbeat while it runs, finish it (counts, status, watermark), cancel, rerun, and resume
 * runs that were interrupted (process killed, machine rebooted).
 *
 * Why this exists: the engine knows plans, not rows. Everything that ties a run to the database —
 * which version it executes, which window it reads, who is running it right now (workerId +
 * heartbeat, so "interrupted" can be told from "running elsewhere"), where it resumes — lives here, and
 * the CLI, the tRPC routers, the queue and the scheduler all call these functions.
 *
 * Two rules hold here for every caller:
 * - At most one queued/running run per flow, enforced by the database (the partial unique index
 *   "Run_one_active_per_flow"): creating a second one fails with RunConflictError (tRPC CONFLICT), so
 *   no caller ever records a run that did not happen. An interrupted or suspended run of the flow is
 *   resumed instead of refused (startRun).
 * - A process that stops (SIGTERM, Ctrl-C) suspends its runs (suspendLocalRuns): they stop reading,
 *   finish the batches in flight, and go back to `queued` with their checkpoint — never left
 *   `running` without an owner — and the next start resumes them.
 */
import os from "node:os";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { DomainError, userMessage } from "@/server/errors";
import { executePlan } from "@/server/engine/executor";
import { type Counts, emptyCounts, type EngineEvent, type Plan, type ResumeState, type RunResult, type RunSelection } from "@/server/engine/types";
import { compileFlow, formatProblems } from "@/server/flows/compile";
import { getFlowVersion } from "@/server/flows/store";
import { connectionInfo, resolveConnection, sandboxResolver } from "./connections";
import { createRunHooks, type PersistentHooks, pruneBatches } from "./ledger-store";
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

/** The flow already has a queued or running run (the database refused a second one). */
export class RunConflictError extends RunError {
  constructor(
    readonly activeRunId: string,
    /** nobody executes it (its worker died, or it was suspended at a shutdown): it can be resumed */
    readonly resumable: boolean,
    /** queued or running */
    readonly activeStatus: string,
  ) {
    super(
      activeStatus === "queued"
        ? `该方案已有排队中的运行（运行 #${activeRunId}），请等待其结束或先取消 (a run of this scheme is already queued)`
        : `该方案正在运行（运行 #${activeRunId}），请等待其结束或先取消 (a run of this scheme is already in progress)`,
      "CONFLICT",
    );
  }
}

/** Heartbeat period; a running run whose heartbeat is older than STALE_MS is considered interrupted. */
export const HEARTBEAT_MS = 2_000;
export const STALE_MS = 30_000;

export const WORKER_ID = `${os.hostname()}:${process.pid}`;

/**
 * Runs executing in this process (for cancel and shutdown, and so we never treat our own run as
 * interrupted). On globalThis: Next bundles this module more than once (the runtime started by
 * instrumentation.ts, the API routes), and every copy must see the same runs.
 */
interface LocalRun {
  controller: AbortController;
  /** stopping because the process stops: end resumable (queued), not cancelled */
  suspend?: boolean;
}
const g = globalThis as unknown as { __shuqiaoLocalRuns?: Map<string, LocalRun>; __shuqiaoStopping?: boolean };
const local = (g.__shuqiaoLocalRuns ??= new Map<string, LocalRun>());

/**
 * Stops every run executing in this process for a shutdown: each stops reading, finishes the batches
 * in flight, stores its outcomes and checkpoint and goes back to `queued`; executeRun resolves once
 * that is stored. Returns the run ids asked to stop.
 */
export function suspendLocalRuns(): string[] {
  g.__shuqiaoStopping = true; // and no run starts here any more
  const ids: string[] = [];
  for (const [id, r] of local) {
    if (r.controller.signal.aborted) continue;
    r.suspend = true;
    r.controller.abort();
    ids.push(id);
  }
  return ids;
}

/** Shown for a run stopped by a shutdown (its event, and the CLI). */
export const SUSPENDED_MESSAGE = "服务停止：进行中的批次已完成并记录，运行已暂停，将在下次启动时从检查点继续 (server stopped; the run resumes on the next start)";

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

/** A run suspended at a shutdown: queued again, but it has started before (it resumes its checkpoint). */
function isSuspended(r: { status: string; startedAt: Date | null; workerId: string | null }): boolean {
  return r.status === "queued" && r.startedAt !== null && r.workerId === null;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === "P2002";
}

type CreateRunInput = { flowId: string; version?: number; trigger?: string; mode?: RunMode; parentRunId?: string; options?: RunOptions };

/**
 * Creates a queued run of a flow version (default: the flow's current version). Throws
 * RunConflictError when the flow already has a queued or running run: the database's unique index
 * decides, so concurrent callers in any process get exactly one run.
 */
export async function createRun(db: Db, input: CreateRunInput): Promise<string> {
  const { version } = await getFlowVersion(db, input.flowId, input.version);
  const options: RunOptions = { ...input.options };
  if (options.sandbox === undefined) options.sandbox = await onlySandboxConnections(db, version.document);
  for (let attempt = 0; ; attempt++) {
    try {
      const run = await db.run.create({
        data: {
          flowId: input.flowId,
          flowVersionId: version.id,
          trigger: input.trigger ?? "manual",
          mode: input.mode ?? "full",
          parentRunId: input.parentRunId,
          options: options as object,
          status: "queued",
        },
      });
      return run.id;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const active = await db.run.findFirst({
        where: { flowId: input.flowId, status: { in: ["queued", "running"] } },
        select: { id: true, status: true, workerId: true, heartbeatAt: true, startedAt: true },
      });
      // it finished between the refusal and this read: try again (a few times, then report)
      if (!active && attempt < 3) continue;
      if (!active) throw new RunError("该方案的运行状态正在变化，请稍后再试 (the scheme's run state is changing; try again)", "CONFLICT");
      throw new RunConflictError(active.id, isInterrupted(active) || isSuspended(active), active.status);
    }
  }
}

/**
 * Whether every connection a flow document uses is a sandbox connection (bound to the local
 * simulators): such a run is a sandbox run wherever it was started from (designer, data page, schedule).
 */
async function onlySandboxConnections(db: Db, document: unknown): Promise<boolean> {
  const nodes = ((document as { nodes?: unknown } | null)?.nodes ?? []) as { data?: { connectionId?: unknown } }[];
  const ids = [...new Set(nodes.map((n) => n?.data?.connectionId).filter((id): id is string => typeof id === "string" && id !== ""))];
  if (!ids.length) return false;
  // a document names a connection by id or by name (flow files, examples)
  const found = await db.connection.findMany({ where: { OR: [{ id: { in: ids } }, { name: { in: ids } }] }, select: { id: true, name: true, sandbox: true } });
  return ids.every((ref) => found.some((c) => (c.id === ref || c.name === ref) && c.sandbox));
}

/**
 * Starts a scheme: a new queued run, or — when the flow's active run is one nobody executes (its
 * process died, or it was suspended at a shutdown) — that run, to be resumed. The caller hands the
 * returned id to the queue. Throws RunConflictError when a run of the flow is queued or executing.
 */
export async function startRun(db: Db, input: CreateRunInput): Promise<{ runId: string; resumed: boolean }> {
  try {
    return { runId: await createRun(db, input), resumed: false };
  } catch (e) {
    if (e instanceof RunConflictError && e.resumable) return { runId: e.activeRunId, resumed: true };
    throw e;
  }
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
  local.get(runId)?.controller.abort();
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

/**
 * The engine's hooks, with two guards. Persistence errors (a Prisma/SQLite error) are logged here with
 * their full text and reach the engine — and so the run's stored error and the UI — only as a sentence
 * without the query text. During a shutdown the engine's "cancel" wording is replaced, and its
 * run.finished (cancelled) is held back: the run is suspended, not finished.
 */
/**
 * Wraps a function the engine calls into our persistence (ledger, checkpoints, connections, lookups):
 * a DomainError passes as it is; anything else (a Prisma/SQLite error with its query text) is logged
 * in full and replaced by a sentence naming what failed.
 */
function guarded<A extends unknown[], R>(runId: string, what: string, fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      if (e instanceof DomainError) throw e;
      console.error(`[runs] run ${runId}: ${what} failed:`, e);
      throw new DomainError("INTERNAL_SERVER_ERROR", `数据库操作失败（${what}），详情见服务器日志 (database error; see the server log)`, { cause: e });
    }
  };
}

function guardHooks(inner: PersistentHooks, runId: string, me: () => LocalRun | undefined): PersistentHooks & { heldFinish(): EngineEvent | undefined } {
  let held: EngineEvent | undefined;
  const guard = <A extends unknown[], R>(what: string, fn: (...a: A) => Promise<R>) => guarded(runId, what, fn);
  const l = inner.ledger;
  return {
    ...inner,
    ledger: {
      get: guard("读取台账", l.get.bind(l)),
      openIntent: guard("记录写入意图", l.openIntent.bind(l)),
      settle: guard("记录写入结果", l.settle.bind(l)),
      uncertain: guard("读取未决批次", l.uncertain.bind(l)),
      select: guard("读取台账记录", l.select.bind(l)),
    },
    checkpoint: guard("保存检查点", inner.checkpoint.bind(inner)),
    event(e) {
      if (me()?.suspend) {
        if (e.type === "cancel.requested") return inner.event({ ...e, message: "服务正在停止：不再读取新数据，完成进行中的批次后暂停 (server stopping)" });
        if (e.type === "run.finished" && (e.data as { status?: string } | undefined)?.status === "cancelled") {
          held = e;
          return;
        }
      }
      inner.event(e);
    },
    heldFinish: () => held,
  };
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
  if (before.status === "running" && !isInterrupted(before)) throw new RunError(`运行 ${runId} 正在别处执行 (running elsewhere: ${before.workerId})`, "CONFLICT");
  if (before.status !== "running" && before.status !== "queued") return summaryOf(before);
  // Interrupted (its process died) or suspended at a shutdown: resume from the checkpoint. (No other
  // run of this flow can be active: the database allows one.)
  const resumed = before.status === "running" || isSuspended(before);
  if (g.__shuqiaoStopping) return summaryOf(before); // the process is stopping: the next start takes it
  const now = new Date();
  const claimed = await db.run.updateMany({
    where: { id: runId, status: before.status, workerId: before.workerId },
    data: { status: "running", workerId: WORKER_ID, heartbeatAt: now, ...(before.startedAt ? {} : { startedAt: now }) },
  });
  if (claimed.count === 0) throw new RunError(`运行 ${runId} 已被其他进程接手 (claimed by another worker)`, "CONFLICT");
  const controller = new AbortController();
  const me: LocalRun = { controller };
  local.set(runId, me);
  if (g.__shuqiaoStopping) {
    // the stop began while this run was being claimed
    me.suspend = true;
    controller.abort();
  }
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
    const connections = guarded(runId, "读取连接", options.sandbox ? sandboxResolver(db, vendorOfConnection) : (id: string) => resolveConnection(db, id));

    const hooks = guardHooks(await createRunHooks(db, run), runId, () => me);
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
        findCollection: guarded(runId, "查询其他方案的台账", ledgerFindCollection(db)),
        stallMs: env().SHUQIAO_STALL_MINUTES * 60_000,
      });
    } finally {
      clearInterval(heartbeat);
    }

    if (me.suspend && result.status === "cancelled") {
      const asked = await db.run.findUnique({ where: { id: runId }, select: { cancelRequested: true } });
      if (!asked?.cancelRequested) return await suspend(db, runId, hooks, result);
      // a person cancelled it as well: it ends cancelled, as they asked
      const finish = hooks.heldFinish();
      if (finish) hooks.event(finish);
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
    // a person reads this error on the run page: a DomainError's sentence, never a driver's query text
    if (!(e instanceof DomainError)) console.error(`[runs] run ${runId} failed:`, e);
    const cur = await db.run.findUnique({ where: { id: runId } });
    if (cur && cur.status === "running") return finishWithError(db, cur, userMessage(e));
    throw e;
  } finally {
    local.delete(runId);
  }
}

/**
 * A run stopped by a shutdown: back to `queued` with no owner, its checkpoint and the counts stored
 * with it kept (the resume starts from them), and an event saying it continues on the next start.
 *
 * CHOICE: `queued` (with startedAt set) rather than a new "interrupted" status: every reader already
 * treats queued as "will run" (the runs list, activeCount polling, the one-active-run index, resume on
 * start), so no screen or query shows a suspended run as finished or as running without an owner.
 */
async function suspend(db: Db, runId: string, hooks: PersistentHooks, result: RunResult): Promise<RunSummary> {
  hooks.event({ type: "run.suspended" as EngineEvent["type"], level: "warn", message: SUSPENDED_MESSAGE, data: { status: "queued", counts: result.counts } });
  const row = await db.run.update({
    where: { id: runId },
    data: { status: "queued", workerId: null, heartbeatAt: null, cancelRequested: false, stageTimings: result.timings as unknown as object, lastSeq: hooks.lastSeq() },
  });
  await hooks.drain();
  return { ...summaryOf(row), error: SUSPENDED_MESSAGE };
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
