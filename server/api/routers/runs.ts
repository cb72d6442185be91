/**
 * Run history: the runs list (cursor-paginated, newest first) and one run's header.
 *
 * Why cursor pagination on (createdAt, id): offset paging degrades with 100,000 runs; the index
 * Run(createdAt, id) serves this query directly.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const RunStatus = z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]);
export const RunTrigger = z.enum(["manual", "schedule", "rerun", "api", "resume"]);

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

export const runsRouter = createTRPCRouter({
  list: publicProcedure
    .input(
      z
        .object({
          flowId: z.string().optional(),
          status: RunStatus.optional(),
          trigger: RunTrigger.optional(),
          from: z.date().optional(),
          to: z.date().optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: z.string().nullish(),
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.run.findMany({
        where: {
          ...(input.flowId ? { flowId: input.flowId } : {}),
          ...(input.status ? { status: input.status } : {}),
          ...(input.trigger ? { trigger: input.trigger } : {}),
          ...(input.from || input.to ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } } : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
        select: runSelect,
      });
      const hasMore = rows.length > input.limit;
      const items = (hasMore ? rows.slice(0, input.limit) : rows).map(flattenRun);
      return { items, nextCursor: hasMore ? items[items.length - 1].id : null };
    }),

  byId: publicProcedure.input(z.object({ id: z.string().min(1) })).query(async ({ ctx, input }) => {
    const run = await ctx.db.run.findUnique({ where: { id: input.id }, select: { ...runSelect, checkpoint: true, stageTimings: true, lastSeq: true, windowStart: true, windowEnd: true } });
    if (!run) throw new AppError("NOT_FOUND", `运行记录不存在 (run ${input.id} not found)`);
    return { ...flattenRun(run), checkpoint: run.checkpoint, stageTimings: run.stageTimings as Record<string, number> | null, lastSeq: run.lastSeq, windowStart: run.windowStart, windowEnd: run.windowEnd };
  }),
});

type RunRow = { flow: { name: string }; flowVersion: { number: number }; startedAt: Date | null; finishedAt: Date | null } & Record<string, unknown>;
function flattenRun<T extends RunRow>(r: T) {
  const { flow, flowVersion, ...rest } = r;
  const durationMs = r.startedAt ? (r.finishedAt ?? new Date()).getTime() - r.startedAt.getTime() : null;
  return { ...rest, flowName: flow.name, version: flowVersion.number, durationMs };
}
