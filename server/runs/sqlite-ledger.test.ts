/**
 * The raw SQLite ledger writer (sqlite-ledger.cjs) and its thread (sqlite-worker.cjs), on a real
 * migrated database file: payload texts travel once (with the intent) yet always reach the ledger row,
 * and a dead ledger thread fails its calls at once instead of hanging a run.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerWriter, type SettleRowMsg } from "./sqlite-ledger.cjs";
import type { Simulators } from "@/server/testing/simulators";
import { workerExec } from "./ledger-store";
import { createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

describe("sqlite ledger writer", () => {
  let t: TestDb;
  let flowId: string;
  let file: string;

  beforeAll(async () => {
    t = await sqliteDb();
    flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json");
    file = t.url.replace(/^file:/, "");
  });
  afterAll(async () => {
    await t?.drop();
  });

  const at = () => new Date().toISOString().replace("Z", "+00:00");
  const written = (sourceId: string, batchId: string): SettleRowMsg => [sourceId, "written", sourceId.toUpperCase(), `h-${sourceId}`, `T${sourceId}`, sourceId.toUpperCase(), 1, null, batchId, undefined, undefined, '{"Id":1}'];

  it("a settle row without payload texts takes them from its batch's intent — in memory, or from the intent row after a restart", async () => {
    const conn = new Database(file);
    const writer = ledgerWriter(conn);
    const intent = (batchId: string, ids: string[]) =>
      writer.intent({ flowId, runId: "r1", batchId, at: at(), rows: ids.map((id) => [id, id.toUpperCase(), `h-${id}`, `{"id":"${id}"}`, `{"FNumber":"${id.toUpperCase()}"}`]) });
    intent("b-mem", ["a1", "a2"]);
    intent("b-restart", ["c1"]);
    writer.settle({ flowId, runId: "r1", at: at(), close: ["b-mem"], rows: [written("a1", "b-mem"), written("a2", "b-mem")] });
    conn.close();

    // a new writer (the process or thread restarted): the texts come from the stored intent
    const conn2 = new Database(file);
    ledgerWriter(conn2).settle({ flowId, runId: "r2", at: at(), close: ["b-restart"], rows: [written("c1", "b-restart")] });
    conn2.close();

    const rows = await t.db.syncRecord.findMany({ where: { flowId, sourceId: { in: ["a1", "a2", "c1"] } }, orderBy: { sourceId: "asc" } });
    expect(rows.map((r) => [r.sourceId, r.status, r.batchId])).toEqual([
      ["a1", "written", "b-mem"],
      ["a2", "written", "b-mem"],
      ["c1", "written", "b-restart"],
    ]);
    for (const r of rows) {
      expect(r.sourcePayload).toEqual({ id: r.sourceId });
      expect(r.mappedPayload).toEqual({ FNumber: r.sourceId.toUpperCase() });
      expect(r.targetResponse).toEqual({ Id: 1 });
    }
    expect(await t.db.syncIntent.count({ where: { flowId } })).toBe(0);
    expect(await t.db.syncRecordHistory.count({ where: { flowId, sourceId: { in: ["a1", "a2", "c1"] } } })).toBe(3);
  });

  it("a dead ledger thread fails its calls at once (no hang)", async () => {
    const thread = workerExec(file);
    if (!thread) throw new Error("ledger thread did not start");
    await thread.exec.ledger!.intent({ flowId, runId: "r3", batchId: "b-thread", at: at(), rows: [["d1", "D1", "h", "{}", "{}"]] });
    expect(await t.db.syncIntent.count({ where: { id: "b-thread" } })).toBe(1);
    await thread.stop();
    expect(thread.alive()).toBe(false);
    await expect(thread.exec.ledger!.settle({ flowId, runId: "r3", at: at(), close: ["b-thread"], rows: [written("d1", "b-thread")] })).rejects.toThrow(/ledger thread exited/);
    // nothing half-written: the intent is still open for the next run to settle
    expect(await t.db.syncIntent.count({ where: { id: "b-thread" } })).toBe(1);
  });
});

describe("a whole run with the ledger thread (SHUQIAO_LEDGER_THREAD=1)", () => {
  let t: TestDb;
  let sims: Simulators;
  const before = process.env.SHUQIAO_LEDGER_THREAD;

  beforeAll(async () => {
    process.env.SHUQIAO_LEDGER_THREAD = "1"; // read when the database's raw connection is first opened
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: 450 }, kingdee: { rowFailureRate: 0.02, seed: 7 } } });
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.SHUQIAO_LEDGER_THREAD;
    else process.env.SHUQIAO_LEDGER_THREAD = before;
    await sims?.close();
    await t?.drop();
  });

  it("writes every record once, stores payloads, outcomes, events and checkpoints through the thread", async () => {
    const flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json");
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.counts.read).toBe(450);
    expect(s.counts.written + s.counts.failed).toBe(450);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(s.counts.written);
    expect(docs.duplicates).toBe(0);
    const ledger = await t.db.syncRecord.groupBy({ by: ["status"], where: { flowId }, _count: true });
    expect(Object.fromEntries(ledger.map((g) => [g.status, g._count]))).toEqual({ written: s.counts.written, ...(s.counts.failed ? { failed: s.counts.failed } : {}) });
    const sample = await t.db.syncRecord.findFirst({ where: { flowId, status: "written" } });
    expect(sample?.sourcePayload).toBeTruthy();
    expect(sample?.mappedPayload).toBeTruthy();
    expect(await t.db.syncIntent.count()).toBe(0);
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.checkpoint).toEqual({ done: true });
    const events = await t.db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { seq: true } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
