/**
 * Persistence on PostgreSQL: the same run, ledger, checkpoints, events and watermark as on SQLite
 * (raw multi-row upserts must behave identically on both). Skips loudly when PostgreSQL is down.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRerun, createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, postgresDb, simConfig, startSandbox, type TestDb } from "./test-helpers";

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
  }, 60_000);
});
