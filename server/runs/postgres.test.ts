/**
 * Persistence on PostgreSQL: the same run, ledger, checkpoints, events and watermark as on SQLite
 * (raw multi-row upserts must behave identically on both). Skips loudly when PostgreSQL is down.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { pruneBatches } from "./ledger-store";
import { createRerun, createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, ledgerRows, postgresDb, simConfig, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 180;

describe("run persistence on PostgreSQL", () => {
  let t: TestDb | null;
  let sims: Simulators;
  let flowId: string;

  beforeAll(async () => {
    t = await postgresDb();
    if (!t) return;
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
    flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
      (d.nodes as { type: string; data: Record<string, unknown> }[]).find((n) => n.type === "target")!.data.batchSize = 50;
    });
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("runs, skips unchanged records, records failures and reruns them", async (ctx) => {
    if (!t) return ctx.skip();
    const db = t.db;
    await simConfig(sims.kingdee.url, { rowFailureRate: 0.05, seed: 3 });
    const first = await executeRun(db, await createRun(db, { flowId, options: { sandbox: true } }));
    expect(first.status).toBe("partial");
    expect(first.counts.read).toBe(SHOPS);
    expect(first.counts.written + first.counts.failed).toBe(SHOPS);
    expect(first.counts.failed).toBeGreaterThan(0);
    const run = await db.run.findUnique({ where: { id: first.runId } });
    expect(run?.checkpoint).toEqual({ done: true });
    expect(run?.pages).toBe(2);
    // history rows for the failures only: a first successful write is recorded by the ledger row itself
    const history = await db.syncRecordHistory.groupBy({ by: ["status"], where: { runId: first.runId }, _count: true });
    expect(history).toEqual([{ status: "failed", _count: first.counts.failed }]);
    expect(await db.syncRecord.count({ where: { flowId, firstRunId: first.runId } })).toBe(SHOPS);
    const events = await db.runEvent.findMany({ where: { runId: first.runId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === "record.failed")).toHaveLength(first.counts.failed);
    // payloads are stored once, in the batches' intents (closed, kept), and read back from there
    expect(await db.syncIntent.groupBy({ by: ["open"], where: { flowId }, _count: true })).toEqual([{ open: false, _count: 4 }]);
    const rows = await ledgerRows(db, { where: { flowId }, take: 60, orderBy: { sourceId: "asc" } });
    expect(rows.every((r) => r.batchId && (r.sourcePayload as { code?: string }).code === r.number && (r.mappedPayload as { FNumber?: string }).FNumber === r.number)).toBe(true);

    await simConfig(sims.kingdee.url, { rowFailureRate: 0 });
    const second = await executeRun(db, await createRun(db, { flowId, options: { sandbox: true } }));
    expect(second.status).toBe("succeeded");
    // failed rows of the first run are changed-or-not-written: written now; the rest skipped
    expect(second.counts).toMatchObject({ written: first.counts.failed, skipped: first.counts.written });
    const again = await executeRun(db, await createRerun(db, { runId: first.runId, mode: "failed_only" }));
    expect(again.counts.read).toBe(0); // nothing is still failed
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    const written = await db.syncRecord.count({ where: { flowId, status: "written" } });
    expect(written).toBe(SHOPS);
    // a closed batch no ledger row names any more is pruned; open ones and named ones stay
    await db.syncIntent.create({ data: { id: "b-superseded", flowId, runId: first.runId, size: 0, rows: "[]", open: false } });
    await db.syncIntent.create({ data: { id: "b-open", flowId, runId: first.runId, size: 0, rows: "[]" } });
    const before = await db.syncIntent.count({ where: { flowId } });
    expect(await pruneBatches(db, flowId)).toBe(1);
    expect(await db.syncIntent.count({ where: { flowId } })).toBe(before - 1);
    expect(await db.syncIntent.count({ where: { id: "b-open" } })).toBe(1);
  }, 60_000);
});
