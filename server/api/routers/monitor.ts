/**
 * 监控: the health of every scheme over a time range — runs by outcome, records moved, the ledger's
 * outstanding failed/invalid rows ("不漏单": what has not reached the target yet) and the runs that
 * need attention.
 *
 * Why aggregates in the database: groupBy over Run(flowId, status) and SyncRecord(flowId, status) uses
 * the existing indices and stays cheap with 100,000 runs; nothing is loaded row by row.
 */
import { z } from "zod";
import { createTRPCRouter, viewerProcedure } from "../trpc";

const RANGE_MS = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
const FINISHED = new Set(["succeeded", "partial", "failed", "cancelled"]);

type Tally = { runs: number; succeeded: number; partial: number; failed: number; cancelled: number; active: number; read: number; written: number; failedRows: number; invalidRows: number };
const emptyTally = (): Tally => ({ runs: 0, succeeded: 0, partial: 0, failed: 0, cancelled: 0, active: 0, read: 0, written: 0, failedRows: 0, invalidRows: 0 });

/**
 * Share of finished runs that succeeded fully; null when nothing finished in the range. A run's status
 * says what happened (engine/executor.ts outcomeStatus): succeeded = nothing failed or invalid,
 * partial = some records reached the target and some failed, failed = none reached it.
 */
function successRate(t: Tally): number | null {
  const finished = t.succeeded + t.partial + t.failed + t.cancelled;
  return finished ? t.succeeded / finished : null;
}

export const monitorRouter = createTRPCRouter({
  overview: viewerProcedure
    .input(z.object({ range: z.enum(["24h", "7d", "30d"]).default("24h") }).default({ range: "24h" }))
    .query(async ({ ctx, input }) => {
      const since = new Date(Date.now() - RANGE_MS[input.range]);
      const [byStatus, legacyFailed, flows, ledger, intents, attention, lastSuccess] = await Promise.all([
        ctx.db.run.groupBy({
          by: ["flowId", "status"],
          where: { createdAt: { gte: since } },
          _count: { _all: true },
          _sum: { countRead: true, countWritten: true, countFailed: true, countInvalid: true },
        }),
        // runs finished before that rule could be "partial" with nothing at the target: failures
        ctx.db.run.groupBy({
          by: ["flowId"],
          where: { createdAt: { gte: since }, status: "partial", countWritten: 0, countSkipped: 0 },
          _count: { _all: true },
        }),
        ctx.db.flow.findMany({ where: { deletedAt: null }, select: { id: true, name: true, schedule: true, schedulePaused: true }, orderBy: { name: "asc" } }),
        ctx.db.syncRecord.groupBy({ by: ["flowId", "status"], _count: { _all: true } }),
        // rows of batches sent (or about to be) whose outcome is not stored yet
        ctx.db.syncIntent.groupBy({ by: ["flowId"], where: { open: true }, _sum: { size: true } }),
        ctx.db.run.findMany({
          where: { createdAt: { gte: since }, status: { in: ["failed", "partial"] } },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: 10,
          select: { id: true, status: true, error: true, countFailed: true, countInvalid: true, createdAt: true, flow: { select: { name: true } } },
        }),
        ctx.db.run.groupBy({ by: ["flowId"], where: { status: "succeeded" }, _max: { finishedAt: true } }),
      ]);

      const total = emptyTally();
      const perFlow = new Map<string, Tally>();
      for (const g of byStatus) {
        const t = perFlow.get(g.flowId) ?? emptyTally();
        perFlow.set(g.flowId, t);
        for (const target of [t, total]) {
          target.runs += g._count._all;
          if (g.status === "running" || g.status === "queued") target.active += g._count._all;
          else if (FINISHED.has(g.status)) target[g.status as "succeeded" | "partial" | "failed" | "cancelled"] += g._count._all;
          target.read += g._sum.countRead ?? 0;
          target.written += g._sum.countWritten ?? 0;
          target.failedRows += g._sum.countFailed ?? 0;
          target.invalidRows += g._sum.countInvalid ?? 0;
        }
      }
      for (const g of legacyFailed) {
        for (const target of [perFlow.get(g.flowId), total]) {
          if (!target) continue;
          target.partial -= g._count._all;
          target.failed += g._count._all;
        }
      }
      const ledgerByFlow = new Map<string, Record<string, number>>();
      for (const g of ledger) {
        const m = ledgerByFlow.get(g.flowId) ?? {};
        m[g.status] = g._count._all;
        ledgerByFlow.set(g.flowId, m);
      }
      const inFlight = new Map(intents.map((g) => [g.flowId, g._sum.size ?? 0]));
      const lastOk = new Map(lastSuccess.map((g) => [g.flowId, g._max.finishedAt]));

      return {
        range: input.range,
        since,
        totals: { ...total, successRate: successRate(total) },
        flows: flows.map((f) => {
          const t = perFlow.get(f.id) ?? emptyTally();
          const l = ledgerByFlow.get(f.id) ?? {};
          return {
            id: f.id,
            name: f.name,
            scheduled: Boolean(f.schedule) && !f.schedulePaused,
            ...t,
            successRate: successRate(t),
            lastSuccessAt: lastOk.get(f.id) ?? null,
            ledger: {
              total: Object.values(l).reduce((a, b) => a + b, 0),
              written: l.written ?? 0,
              failed: l.failed ?? 0,
              invalid: l.invalid ?? 0,
              /** rows whose write outcome is not settled yet (a run in progress or interrupted) */
              unsettled: (l.sending ?? 0) + (l.pending ?? 0) + (inFlight.get(f.id) ?? 0),
            },
          };
        }),
        attention: attention.map(({ flow, ...r }) => ({ ...r, flowName: flow.name })),
      };
    }),
});
