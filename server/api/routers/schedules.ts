/**
 * A scheme's cron schedule: read it, preview an expression (next five times + a sentence), set it,
 * pause, resume and remove it.
 *
 * Why this exists: analysts schedule syncs ("every night at 02:00") without learning cron by heart;
 * the preview says in words and in times what an expression means before it is saved.
 *
 * Source of truth: the scheduler (server/queue/scheduler.ts) reads the Flow row's `schedule`,
 * `scheduleTz`, `schedulePaused` and `nextRunAt`, and computes times with its own `nextCronTime` /
 * `checkCron` (cron-parser 5, five or six fields, seconds first). This router writes exactly those
 * columns and uses exactly those functions, so the preview shows the times the scheduler will use.
 * Setting or resuming a schedule stores the next due time after *now*, so a resumed schedule does
 * not fire at once for the slots it missed while paused.
 */
import cronstrue from "cronstrue";
import "cronstrue/locales/zh_CN";
import { z } from "zod";
import type { Db } from "@/server/db";
import { checkCron, nextCronTime } from "@/server/queue/scheduler";
import { AppError } from "../errors";
import { createTRPCRouter, editorProcedure, viewerProcedure } from "../trpc";

export const DEFAULT_TZ = "Asia/Shanghai";

const Cron = z
  .string()
  .trim()
  .min(1, "请填写定时表达式 (cron expression required)")
  .max(120)
  .refine((s) => {
    const n = s.split(/\s+/).length;
    return n === 5 || n === 6;
  }, "定时表达式应为 5 段（分 时 日 月 周）或 6 段（秒 分 时 日 月 周）(5 or 6 fields)");

const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "未知的时区 (unknown time zone)");

export interface CronPreview {
  ok: boolean;
  error: string | null;
  description: { zh: string; en: string } | null;
  next: Date[];
}

/** The next `count` times of an expression after `from`, with its description in both languages. */
export function previewCron(cron: string, tz = DEFAULT_TZ, count = 5, from = new Date()): CronPreview {
  const problem = checkCron(cron, tz);
  if (problem) return { ok: false, error: problem, description: null, next: [] };
  const next: Date[] = [];
  let at = from;
  for (let i = 0; i < count; i++) {
    at = nextCronTime(cron, tz, at);
    next.push(at);
  }
  return { ok: true, error: null, description: describeCron(cron), next };
}

export function describeCron(cron: string): { zh: string; en: string } | null {
  try {
    return {
      zh: cronstrue.toString(cron, { locale: "zh_CN", use24HourTimeFormat: true, verbose: false }),
      en: cronstrue.toString(cron, { locale: "en", use24HourTimeFormat: true, verbose: false }),
    };
  } catch {
    return null;
  }
}

async function loadFlow(db: Db, flowId: string) {
  const flow = await db.flow.findFirst({
    where: { id: flowId, deletedAt: null },
    select: { id: true, name: true, currentVersion: true, schedule: true, scheduleTz: true, schedulePaused: true, nextRunAt: true },
  });
  if (!flow) throw new AppError("NOT_FOUND", `方案不存在或已删除 (scheme ${flowId} not found)`);
  return flow;
}

function view(flow: Awaited<ReturnType<typeof loadFlow>>, lastScheduledRun: { id: string; status: string; createdAt: Date } | null) {
  const tz = flow.scheduleTz || DEFAULT_TZ;
  const preview = flow.schedule ? previewCron(flow.schedule, tz) : null;
  return {
    flowId: flow.id,
    flowName: flow.name,
    cron: flow.schedule,
    timezone: tz,
    paused: flow.schedulePaused,
    /** set when enabled and not paused */
    active: !!flow.schedule && !flow.schedulePaused,
    nextRunAt: flow.schedule && !flow.schedulePaused ? (flow.nextRunAt ?? preview?.next[0] ?? null) : null,
    description: preview?.description ?? null,
    next: flow.schedule && !flow.schedulePaused ? (preview?.next ?? []) : [],
    runnable: flow.currentVersion > 0,
    lastScheduledRun,
  };
}

export const schedulesRouter = createTRPCRouter({
  get: viewerProcedure.input(z.object({ flowId: z.string().min(1) })).query(async ({ ctx, input }) => {
    const flow = await loadFlow(ctx.db, input.flowId);
    const last = await ctx.db.run.findFirst({
      where: { flowId: input.flowId, trigger: "schedule" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, status: true, createdAt: true },
    });
    return view(flow, last);
  }),

  /** What an expression means, before saving it (never throws for a bad expression: it says why). */
  preview: viewerProcedure
    .input(z.object({ cron: z.string().max(120), timezone: z.string().max(64).default(DEFAULT_TZ), count: z.number().int().min(1).max(20).default(5) }))
    .query(({ input }) => {
      const cron = input.cron.trim();
      const fields = cron.split(/\s+/).filter(Boolean).length;
      if (!cron) return { ok: false, error: "请填写定时表达式 (cron expression required)", description: null, next: [] } satisfies CronPreview;
      if (fields !== 5 && fields !== 6) return { ok: false, error: "定时表达式应为 5 段（分 时 日 月 周）或 6 段（秒 分 时 日 月 周）(5 or 6 fields)", description: null, next: [] } satisfies CronPreview;
      const tz = TimeZone.safeParse(input.timezone);
      if (!tz.success) return { ok: false, error: "未知的时区 (unknown time zone)", description: null, next: [] } satisfies CronPreview;
      return previewCron(cron, tz.data, input.count);
    }),

  set: editorProcedure.input(z.object({ flowId: z.string().min(1), cron: Cron, timezone: TimeZone.default(DEFAULT_TZ) })).mutation(async ({ ctx, input }) => {
    await loadFlow(ctx.db, input.flowId);
    const problem = checkCron(input.cron, input.timezone);
    if (problem) throw new AppError("BAD_REQUEST", problem);
    const nextRunAt = nextCronTime(input.cron, input.timezone, new Date());
    await ctx.db.flow.update({ where: { id: input.flowId }, data: { schedule: input.cron, scheduleTz: input.timezone, schedulePaused: false, nextRunAt } });
    return view(await loadFlow(ctx.db, input.flowId), null);
  }),

  pause: editorProcedure.input(z.object({ flowId: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const flow = await loadFlow(ctx.db, input.flowId);
    if (!flow.schedule) throw new AppError("PRECONDITION_FAILED", "该方案还没有定时计划 (no schedule to pause)");
    await ctx.db.flow.update({ where: { id: input.flowId }, data: { schedulePaused: true } });
    return view(await loadFlow(ctx.db, input.flowId), null);
  }),

  resume: editorProcedure.input(z.object({ flowId: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const flow = await loadFlow(ctx.db, input.flowId);
    if (!flow.schedule) throw new AppError("PRECONDITION_FAILED", "该方案还没有定时计划 (no schedule to resume)");
    const nextRunAt = nextCronTime(flow.schedule, flow.scheduleTz || DEFAULT_TZ, new Date());
    await ctx.db.flow.update({ where: { id: input.flowId }, data: { schedulePaused: false, nextRunAt } });
    return view(await loadFlow(ctx.db, input.flowId), null);
  }),

  remove: editorProcedure.input(z.object({ flowId: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    await loadFlow(ctx.db, input.flowId);
    await ctx.db.flow.update({ where: { id: input.flowId }, data: { schedule: null, schedulePaused: false, nextRunAt: null } });
    return view(await loadFlow(ctx.db, input.flowId), null);
  }),
});
