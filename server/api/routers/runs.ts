/**
 * Run history and one run's facts: the runs list (keyset-paginated, newest first, filters), a run's
 * header with its parent and reruns, a page of its stored events, and the records it left failed or
 * invalid (with the vendor's reason).
 *
 * Why keyset paging on (createdAt, id): offset paging degrades with 100,000 runs; the index
 * Run(createdAt, id) (and Run(flowId, createdAt) when a scheme is chosen) serves "the next 50 older
 * than this one" directly, so the first page and the thousandth cost the same. Live events come from
 * the engine's subscription (runEvents.onEvents); `events` here is the plain paged read behind
 * downloads, the timeline and the benchmark.
 *
 * `eventBatches` is the live log's subscription: the same events as runEvents.onEvents, but one SSE
 * message per batch (up to 2,000 events, gathered for 100 ms) instead of one per event — at 2,000
 * events/s the browser's per-message cost, not rendering, was what made the page stutter. The
 * database is the only source of events (resumable and gap-free by construction: every read is
 * "seq > last"); the engine's log bus only wakes the reader early, and a 1 s timer covers runs
 * executed by other processes.
 */
import { tracked } from "@trpc/server";
import { z } from "zod";
import { logBus } from "@/server/runs/log-bus";
import { AppError } from "../errors";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const RunStatus = z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]);
export const RunTrigger = z.enum(["manual", "schedule", "rerun", "api", "resume"]);
export type RunStatus = z.infer<typeof RunStatus>;
export type RunTrigger = z.infer<typeof RunTrigger>;

const runSelect = {
  id: true,
  flowId: true,
  status: true,
  trigger: true,
  mode: true,
  parentRunId: true,
  countRead: true,
  countFiltered: true,
  countInvalid: true,
  countSkipped: true,
  countWritten: true,
  countFailed: true,
  sourceTotal: true,
  pages: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  flow: { select: { name: true } },
  flowVersion: { select: { number: true } },
} as const;

/** The cursor is the last row's (createdAt, id): opaque to the browser, exact for the database. */
function encodeCursor(r: { createdAt: Date; id: string }): string {
  return `${r.createdAt.getTime()}_${r.id}`;
}
function decodeCursor(c: string): { createdAt: Date; id: string } {
  const i = c.indexOf("_");
  const ms = Number(c.slice(0, i));
  if (i < 1 || !Number.isFinite(ms)) throw new AppError("BAD_REQUEST", "分页游标无效，请刷新列表 (invalid cursor)");
  return { createdAt: new Date(ms), id: c.slice(i + 1) };
}

export const RunListInput = z.object({
  flowId: z.string().optional(),
  status: RunStatus.optional(),
  trigger: RunTrigger.optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().nullish(),
});

const LEVELS = ["debug", "info", "warn", "error"] as const;
const BATCH_MAX = 2000;
const BATCH_GATHER_MS = 100;
const IDLE_POLL_MS = 1000;

type EventRow = { seq: number; level: string; type: string; message: string; data: unknown; createdAt: Date };
function toEvent(runId: string, r: EventRow) {
  return { runId, seq: r.seq, level: r.level, type: r.type, message: r.message, data: (r.data ?? null) as Record<string, unknown> | null, createdAt: r.createdAt.toISOString() };
}
export type RunEventItem = ReturnType<typeof toEvent>;

export const runsRouter = createTRPCRouter({
  list: viewerProcedure.input(RunListInput.default({ limit: 50 })).query(async ({ ctx, input }) => {
    const after = input.cursor ? decodeCursor(input.cursor) : null;
    const time = input.from || input.to ? { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } : undefined;
    const rows = await ctx.db.run.findMany({
      where: {
        ...(input.flowId ? { flowId: input.flowId } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.trigger ? { trigger: input.trigger } : {}),
        AND: [
          ...(time ? [{ createdAt: time }] : []),
          ...(after ? [{ OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] : []),
        ],
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      select: runSelect,
    });
    const hasMore = rows.length > input.limit;
    const page = hasMore ? rows.slice(0, input.limit) : rows;
    return { items: page.map(flattenRun), nextCursor: hasMore ? encodeCursor(page[page.length - 1]) : null };
  }),

  /** Whether any run is queued or running (the list polls only while this is true). */
  activeCount: viewerProcedure.query(async ({ ctx }) => ({ count: await ctx.db.run.count({ where: { status: { in: ["queued", "running"] } } }) })),

  byId: viewerProcedure.input(z.object({ id: z.string().min(1) })).query(async ({ ctx, input }) => {
    const run = await ctx.db.run.findUnique({
      where: { id: input.id },
      select: {
        ...runSelect,
        checkpoint: true,
        stageTimings: true,
        lastSeq: true,
        windowStart: true,
        windowEnd: true,
        options: true,
        cancelRequested: true,
        flow: { select: { name: true, currentVersion: true, deletedAt: true } },
        parentRun: { select: { id: true, status: true, createdAt: true, trigger: true } },
        children: { select: { id: true, status: true, createdAt: true, mode: true }, orderBy: { createdAt: "desc" }, take: 20 },
      },
    });
    if (!run) throw new AppError("NOT_FOUND", `运行记录不存在 (run ${input.id} not found)`);
    const options = (run.options ?? {}) as { sandbox?: boolean; sourceIds?: string[] };
    return {
      ...flattenRun(run),
      currentVersion: run.flow.currentVersion,
      flowDeleted: run.flow.deletedAt !== null,
      sandbox: options.sandbox === true,
      selectedCount: options.sourceIds?.length ?? null,
      cancelRequested: run.cancelRequested,
      stageTimings: run.stageTimings as { readMs?: number; processMs?: number; writeMs?: number; ledgerMs?: number; totalMs?: number } | null,
      lastSeq: run.lastSeq,
      windowStart: run.windowStart,
      windowEnd: run.windowEnd,
      parentRun: run.parentRun,
      children: run.children,
    };
  }),

  /** A page of stored events in sequence order (index RunEvent(runId, seq)). */
  events: viewerProcedure
    .input(
      z.object({
        runId: z.string().min(1),
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
        levels: z.array(z.enum(LEVELS)).optional(),
        types: z.array(z.string().max(50)).max(20).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.runEvent.findMany({
        where: {
          runId: input.runId,
          seq: { gt: input.afterSeq },
          ...(input.levels ? { level: { in: input.levels } } : {}),
          ...(input.types ? { type: { in: input.types } } : {}),
        },
        orderBy: { seq: "asc" },
        take: input.limit + 1,
        select: { seq: true, level: true, type: true, message: true, data: true, createdAt: true },
      });
      const hasMore = rows.length > input.limit;
      const items = (hasMore ? rows.slice(0, input.limit) : rows).map((r) => toEvent(input.runId, r));
      return { items, nextAfterSeq: hasMore ? items[items.length - 1].seq : null };
    }),

  /** Live events in batches (see the header); ends after run.finished. */
  eventBatches: viewerProcedure
    .input(z.object({ runId: z.string().min(1), lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const run = await ctx.db.run.findUnique({ where: { id: input.runId }, select: { id: true } });
      if (!run) throw new AppError("NOT_FOUND", `运行记录不存在 (run ${input.runId} not found)`);
      let last = Math.max(0, Number(input.lastEventId ?? 0) || 0);
      let wake: (() => void) | null = null;
      let published = false;
      const unsubscribe = logBus().subscribe(input.runId, () => {
        published = true;
        wake?.();
      });
      const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        }).finally(() => (wake = null));
      const onAbort = () => wake?.();
      signal?.addEventListener("abort", onAbort);
      try {
        while (!signal?.aborted) {
          published = false;
          const rows = await ctx.db.runEvent.findMany({
            where: { runId: input.runId, seq: { gt: last } },
            orderBy: { seq: "asc" },
            take: BATCH_MAX,
            select: { seq: true, level: true, type: true, message: true, data: true, createdAt: true },
          });
          if (rows.length) {
            const items = rows.map((r) => toEvent(input.runId, r));
            last = items[items.length - 1].seq;
            yield tracked(String(last), items);
            if (items.some((e) => e.type === "run.finished")) return;
            if (rows.length === BATCH_MAX) continue;
          }
          if (!published) await sleep(IDLE_POLL_MS);
          if (signal?.aborted) return;
          // something arrived: let a batch gather before reading it
          await new Promise((r) => setTimeout(r, BATCH_GATHER_MS));
        }
      } finally {
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
      }
    }),

  /**
   * How many records this run left failed are failed still (what "retry failed" would re-send): a later
   * retry or re-push may have written some of them already.
   */
  retryable: viewerProcedure.input(z.object({ runId: z.string().min(1) })).query(async ({ ctx, input }) => {
    const run = await ctx.db.run.findUnique({ where: { id: input.runId }, select: { flowId: true } });
    if (!run) throw new AppError("NOT_FOUND", `运行记录不存在 (run ${input.runId} not found)`);
    const hist = await ctx.db.syncRecordHistory.findMany({ where: { runId: input.runId, status: "failed" }, select: { sourceId: true } });
    const ids = [...new Set(hist.map((h) => h.sourceId))];
    let failed = 0;
    for (let i = 0; i < ids.length; i += 500) {
      failed += await ctx.db.syncRecord.count({ where: { flowId: run.flowId, status: "failed", sourceId: { in: ids.slice(i, i + 500) } } });
    }
    return { failed, failedInRun: ids.length };
  }),

  /**
   * Records this run left failed or invalid, with the reason it recorded, and what became of them
   * since (a later "retry failed" may have written them). Keyset-paged on the history row id.
   */
  problems: viewerProcedure
    .input(
      z.object({
        runId: z.string().min(1),
        status: z.enum(["failed", "invalid"]).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        cursor: z.string().nullish(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const run = await ctx.db.run.findUnique({ where: { id: input.runId }, select: { flowId: true } });
      if (!run) throw new AppError("NOT_FOUND", `运行记录不存在 (run ${input.runId} not found)`);
      const hist = await ctx.db.syncRecordHistory.findMany({
        where: { runId: input.runId, status: input.status ? input.status : { in: ["failed", "invalid"] }, ...(input.cursor ? { id: { gt: input.cursor } } : {}) },
        orderBy: { id: "asc" },
        take: input.limit + 1,
        select: { id: true, sourceId: true, status: true, message: true, createdAt: true },
      });
      const hasMore = hist.length > input.limit;
      const page = hasMore ? hist.slice(0, input.limit) : hist;
      const ledger = page.length
        ? await ctx.db.syncRecord.findMany({
            where: { flowId: run.flowId, sourceId: { in: page.map((h) => h.sourceId) } },
            select: { sourceId: true, number: true, status: true, lastRunId: true, attempts: true, targetResponse: true },
          })
        : [];
      const bySource = new Map(ledger.map((l) => [l.sourceId, l]));
      return {
        flowId: run.flowId,
        items: page.map((h) => {
          const l = bySource.get(h.sourceId);
          return {
            historyId: h.id,
            sourceId: h.sourceId,
            number: l?.number ?? null,
            status: h.status as "failed" | "invalid",
            reason: h.message,
            at: h.createdAt,
            currentStatus: l?.status ?? null,
            currentRunId: l?.lastRunId ?? null,
            attempts: l?.attempts ?? 0,
            vendorResponse: l?.targetResponse ?? null,
          };
        }),
        nextCursor: hasMore ? page[page.length - 1].id : null,
      };
    }),
});

type RunRow = { flow: { name: string }; flowVersion: { number: number }; startedAt: Date | null; finishedAt: Date | null; status: string; trigger: string } & Record<string, unknown>;
function flattenRun<T extends RunRow>(r: T) {
  const { flow, flowVersion, ...rest } = r;
  const durationMs = r.startedAt ? (r.finishedAt ?? new Date()).getTime() - r.startedAt.getTime() : null;
  return { ...rest, status: r.status as RunStatus, trigger: r.trigger as RunTrigger, flowName: flow.name, version: flowVersion.number, durationMs };
}
