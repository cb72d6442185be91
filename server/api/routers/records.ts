/**
 * The ledger (数据) in the browser: browse a scheme's records, search by source id or business number,
 * filter by status, and one record's lineage — its history across runs, the source payload, the mapped
 * document, the vendor's response, attempts and the last error.
 *
 * Why this exists: "what happened to shop G001?" is the analyst's first question after a sync. The
 * ledger (SyncRecord, one row per scheme + source id) holds the latest state; SyncRecordHistory holds
 * one row per record per run. Paging is keyset on sourceId, served by the (flowId, sourceId) primary
 * key; status filters use (flowId, status, …) and number search uses (flowId, number).
 */
import { z } from "zod";
import { withPayloads } from "@/server/runs/batch-payloads";
import { AppError } from "../errors";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const LedgerStatus = z.enum(["pending", "sending", "written", "failed", "invalid", "skipped"]);
export type LedgerStatus = z.infer<typeof LedgerStatus>;

export const recordsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(
      z.object({
        flowId: z.string().min(1),
        /** exact source id, or a business number (exact or prefix: "G00" finds G001, G002 …) */
        search: z.string().trim().max(200).optional(),
        status: LedgerStatus.optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().nullish(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const q = input.search || undefined;
      const rows = await ctx.db.syncRecord.findMany({
        where: {
          flowId: input.flowId,
          ...(input.status ? { status: input.status } : {}),
          ...(q ? { OR: [{ sourceId: q }, { number: q }, { number: { startsWith: q } }, { targetNumber: q }] } : {}),
          ...(input.cursor ? { sourceId: { gt: input.cursor } } : {}),
        },
        orderBy: { sourceId: "asc" },
        take: input.limit + 1,
        select: { sourceId: true, number: true, status: true, targetId: true, targetNumber: true, attempts: true, lastError: true, lastRunId: true, updatedAt: true },
      });
      const hasMore = rows.length > input.limit;
      const items = (hasMore ? rows.slice(0, input.limit) : rows).map((r) => ({ ...r, status: r.status as LedgerStatus }));
      return { items, nextCursor: hasMore ? items[items.length - 1].sourceId : null };
    }),

  /** Records per status for a scheme (the filter chips' counts). */
  counts: viewerProcedure.input(z.object({ flowId: z.string().min(1) })).query(async ({ ctx, input }) => {
    const groups = await ctx.db.syncRecord.groupBy({ by: ["status"], where: { flowId: input.flowId }, _count: { _all: true } });
    const out: Record<LedgerStatus, number> = { pending: 0, sending: 0, written: 0, failed: 0, invalid: 0, skipped: 0 };
    for (const g of groups) if (g.status in out) out[g.status as LedgerStatus] = g._count._all;
    return { ...out, total: Object.values(out).reduce((a, b) => a + b, 0) };
  }),

  /** One record's lineage: the ledger row and its history across runs, newest first. */
  lineage: viewerProcedure.input(z.object({ flowId: z.string().min(1), sourceId: z.string().min(1) })).query(async ({ ctx, input }) => {
    const found = await ctx.db.syncRecord.findUnique({ where: { flowId_sourceId: { flowId: input.flowId, sourceId: input.sourceId } } });
    if (!found) throw new AppError("NOT_FOUND", `台账中没有记录 ${input.sourceId} (record not found in the ledger)`);
    const [rec] = await withPayloads(ctx.db, [found]); // payloads of a sent record are its batch's
    const flow = await ctx.db.flow.findUnique({ where: { id: input.flowId }, select: { id: true, name: true } });
    const history = await ctx.db.syncRecordHistory.findMany({
      where: { flowId: input.flowId, sourceId: input.sourceId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
      select: { id: true, runId: true, status: true, message: true, targetId: true, createdAt: true },
    });
    // A first successful write leaves no history row: the ledger row itself is that entry.
    if (rec.firstRunId && !history.some((h) => h.runId === rec.firstRunId) && history.length < 200) {
      history.push({ id: `first:${rec.sourceId}`, runId: rec.firstRunId, status: "written", message: null, targetId: rec.targetId, createdAt: rec.createdAt });
    }
    const runIds = [...new Set(history.map((h) => h.runId))];
    const runs = runIds.length
      ? await ctx.db.run.findMany({
          where: { id: { in: runIds } },
          select: { id: true, trigger: true, mode: true, status: true, createdAt: true, flowVersion: { select: { number: true } } },
        })
      : [];
    const runById = new Map(runs.map((r) => [r.id, r]));
    return {
      flowId: input.flowId,
      flowName: flow?.name ?? "",
      record: {
        sourceId: rec.sourceId,
        number: rec.number,
        status: rec.status as LedgerStatus,
        hash: rec.hash,
        targetId: rec.targetId,
        targetNumber: rec.targetNumber,
        attempts: rec.attempts,
        lastError: rec.lastError,
        lastRunId: rec.lastRunId,
        createdAt: rec.createdAt,
        updatedAt: rec.updatedAt,
        sourcePayload: rec.sourcePayload as unknown,
        mappedPayload: rec.mappedPayload as unknown,
        targetResponse: rec.targetResponse as unknown,
      },
      history: history.map((h) => {
        const r = runById.get(h.runId);
        return {
          ...h,
          status: h.status as LedgerStatus,
          run: r ? { id: r.id, trigger: r.trigger, mode: r.mode, status: r.status, version: r.flowVersion.number, createdAt: r.createdAt } : null,
        };
      }),
    };
  }),
});
