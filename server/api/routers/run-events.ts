/**
 * Live run events and run control: follow a run's events (tRPC subscription over SSE), start a run,
 * cancel it, rerun it.
 *
 * Why this exists: the run page shows a log that fills in as the run goes and survives reconnects.
 * The subscription first backfills from the database (everything after `lastEventId`), then follows
 * the in-process log bus; it subscribes to the bus *before* reading the database and events are
 * published only after they are stored, so nothing falls between the two, and sequence numbers drop
 * the overlap. Runs executed by another process (the CLI, a worker) are followed by polling the table.
 * The stream ends after `run.finished`.
 */
import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { dispatchRun } from "@/server/queue/embedded";
import { logBus, type RunEventRecord } from "@/server/runs/log-bus";
import { cancelRun, createRerun, startRun } from "@/server/runs/service";
import { createTRPCRouter, editorProcedure, viewerProcedure } from "../trpc";

export interface RunEventDto {
  runId: string;
  seq: number;
  level: string;
  type: string;
  message: string;
  data: Record<string, unknown> | null;
  createdAt: string;
}

function toDto(e: RunEventRecord): RunEventDto {
  return { runId: e.runId, seq: e.seq, level: e.level, type: e.type, message: e.message, data: e.data, createdAt: e.createdAt.toISOString() };
}

const POLL_MS = 1_000;

export const runEventsRouter = createTRPCRouter({
  onEvents: viewerProcedure
    .input(z.object({ runId: z.string().min(1), lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const run = await ctx.db.run.findUnique({ where: { id: input.runId }, select: { id: true } });
      if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `运行 ${input.runId} 不存在 (run not found)` });
      let last = Number(input.lastEventId ?? 0) || 0;
      const buffer: RunEventRecord[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = logBus().subscribe(input.runId, (e) => {
        buffer.push(e);
        wake?.();
      });
      const onAbort = () => wake?.();
      signal?.addEventListener("abort", onAbort);
      try {
        for (;;) {
          // 1. whatever is stored after `last` (backfill, and events of runs executed elsewhere)
          const rows = await ctx.db.runEvent.findMany({ where: { runId: input.runId, seq: { gt: last } }, orderBy: { seq: "asc" }, take: 500 });
          for (const r of rows) {
            const e: RunEventRecord = { ...r, data: (r.data ?? null) as Record<string, unknown> | null };
            yield tracked(String(e.seq), toDto(e));
            last = e.seq;
            if (e.type === "run.finished") return;
          }
          if (rows.length === 500) continue;
          // 2. follow the bus
          while (buffer.length) {
            const e = buffer.shift() as RunEventRecord;
            if (e.seq <= last) continue;
            if (e.seq > last + 1) {
              // a gap (events stored by another process): read them from the table first
              buffer.unshift(e);
              break;
            }
            yield tracked(String(e.seq), toDto(e));
            last = e.seq;
            if (e.type === "run.finished") return;
          }
          if (signal?.aborted) return;
          if (buffer.length === 0) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, POLL_MS);
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
            wake = undefined;
          }
          if (signal?.aborted) return;
          if (buffer.length && buffer[0].seq === last + 1) {
            // fast path: drain the bus without a database round trip
            while (buffer.length) {
              const e = buffer.shift() as RunEventRecord;
              if (e.seq <= last) continue;
              if (e.seq > last + 1) {
                buffer.unshift(e);
                break;
              }
              yield tracked(String(e.seq), toDto(e));
              last = e.seq;
              if (e.type === "run.finished") return;
            }
          }
        }
      } finally {
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
      }
    }),

  start: editorProcedure
    .input(z.object({ flowId: z.string().min(1), version: z.number().int().positive().optional(), sandbox: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      // CONFLICT (RunConflictError) when the scheme already has a queued or running run; a run of it
      // that nobody executes any more (interrupted, or suspended at a shutdown) is resumed instead
      const { runId, resumed } = await startRun(ctx.db, { flowId: input.flowId, version: input.version, trigger: "manual", options: input.sandbox === undefined ? {} : { sandbox: input.sandbox } });
      await dispatchRun(ctx.db, runId);
      return { runId, resumed };
    }),

  cancel: editorProcedure.input(z.object({ runId: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const status = await cancelRun(ctx.db, input.runId);
    return { runId: input.runId, status };
  }),

  rerun: editorProcedure
    .input(
      z.object({
        runId: z.string().min(1),
        mode: z.enum(["whole", "failed_only", "records"]),
        useCurrentVersion: z.boolean().optional(),
        sourceIds: z.array(z.string().min(1)).max(10_000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const runId = await createRerun(ctx.db, input);
      await dispatchRun(ctx.db, runId);
      return { runId, parentRunId: input.runId };
    }),
});
