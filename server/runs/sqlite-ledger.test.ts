/**
 * The raw SQLite ledger writer (sqlite-ledger.cjs) and its thread (sqlite-worker.cjs), on a real
 * migrated database file: payloads are stored once (in the batch's intent, kept closed as its payload
 * record) and read back for every ledger row that names the batch; superseded batches are pruned; a
 * dead ledger thread fails its calls at once instead of hanging a run.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerWriter, type SettleRowMsg } from "./sqlite-ledger.cjs";
import type { Simulators } from "@/server/testing/simulators";
import { withPayloads } from "./batch-payloads";
import { pruneBatches, workerExec } from "./ledger-store";
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
  const written = (sourceId: string, batchId: string): SettleRowMsg => [sourceId, "written", sourceId.toUpperCase(), `h-${sourceId}`, `T${sourceId}`, sourceId.toUpperCase(), 1, null, batchId, null, null, '{"Id":1}'];

  it("stores a batch's payloads once, in its intent: the ledger rows name the batch and read them back; closing keeps it", async () => {
    const conn = new Database(file);
    const writer = ledgerWriter(conn);
    const intent = (batchId: string, ids: string[], v = 1) =>
      writer.intent({ flowId, runId: "r1", batchId, at: at(), rows: ids.map((id) => [id, id.toUpperCase(), `h-${id}`, `{"id":"${id}","v":${v}}`, `{"FNumber":"${id.toUpperCase()}"}`]) });
    intent("b-1", ["a1", "a2"]);
    intent("b-2", ["c1"]);
    writer.settle({ flowId, runId: "r1", at: at(), close: ["b-1"], rows: [written("a1", "b-1"), written("a2", "b-1")] });
    // an invalid record (never sent, no batch) keeps its own payloads on the ledger row
    writer.settle({ flowId, runId: "r1", at: at(), close: [], rows: [["z9", "invalid", "Z9", "h-z9", null, null, 0, "code: 必填", null, '{"id":"z9"}', null, null]] });
    conn.close();

    const rows = await t.db.syncRecord.findMany({ where: { flowId, sourceId: { in: ["a1", "a2", "z9"] } }, orderBy: { sourceId: "asc" } });
    expect(rows.map((r) => [r.sourceId, r.status, r.batchId])).toEqual([
      ["a1", "written", "b-1"],
      ["a2", "written", "b-1"],
      ["z9", "invalid", null],
    ]);
    expect(rows.filter((r) => r.batchId).every((r) => r.sourcePayload === null && r.mappedPayload === null)).toBe(true); // stored once, not copied
    for (const r of await withPayloads(t.db, rows)) {
      expect(r.sourcePayload).toEqual(r.batchId ? { id: r.sourceId, v: 1 } : { id: "z9" });
      if (r.batchId) expect(r.mappedPayload).toEqual({ FNumber: r.sourceId.toUpperCase() });
      expect(r.targetResponse).toEqual(r.batchId ? { Id: 1 } : null);
    }
    // closed, not deleted: b-1 is the payload record of a1/a2; b-2 is still open (outcome unknown)
    const intents = await t.db.syncIntent.findMany({ where: { flowId }, orderBy: { id: "asc" }, select: { id: true, open: true } });
    expect(intents).toEqual([
      { id: "b-1", open: false },
      { id: "b-2", open: true },
    ]);
    expect(await t.db.syncRecordHistory.count({ where: { flowId, sourceId: { in: ["a1", "a2", "z9"] } } })).toBe(3);

    // a1 and a2 written again in a later batch: b-1 names no row any more and is pruned; open b-2 stays
    const conn2 = new Database(file);
    const w2 = ledgerWriter(conn2);
    w2.intent({ flowId, runId: "r2", batchId: "b-3", at: at(), rows: ["a1", "a2"].map((id) => [id, id.toUpperCase(), `h2-${id}`, `{"id":"${id}","v":2}`, "{}"]) });
    w2.settle({ flowId, runId: "r2", at: at(), close: ["b-3"], rows: [written("a1", "b-3"), written("a2", "b-3")] });
    conn2.close();
    expect(await pruneBatches(t.db, flowId)).toBe(1);
    expect((await t.db.syncIntent.findMany({ where: { flowId }, orderBy: { id: "asc" }, select: { id: true } })).map((b) => b.id)).toEqual(["b-2", "b-3"]);
    const again = await withPayloads(t.db, await t.db.syncRecord.findMany({ where: { flowId, sourceId: { in: ["a1", "a2"] } } }));
    expect(again.map((r) => r.sourcePayload)).toEqual([
      { id: "a1", v: 2 },
      { id: "a2", v: 2 },
    ]);
  });

  it("a dead ledger thread fails its calls at once (no hang)", async () => {
    const thread = workerExec(file);
    if (!thread) throw new Error("ledger thread did not start");
    await thread.exec.ledger!.intent({ flowId, runId: "r3", batchId: "b-thread", at: at(), rows: [["d1", "D1", "h", "{}", "{}"]] });
    expect(await t.db.syncIntent.count({ where: { id: "b-thread", open: true } })).toBe(1);
    await thread.stop();
    expect(thread.alive()).toBe(false);
    await expect(thread.exec.ledger!.settle({ flowId, runId: "r3", at: at(), close: ["b-thread"], rows: [written("d1", "b-thread")] })).rejects.toThrow(/ledger thread exited/);
    // nothing half-written: the intent is still open for the next run to settle
    expect(await t.db.syncIntent.count({ where: { id: "b-thread", open: true } })).toBe(1);
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
    const [sample] = await withPayloads(t.db, await t.db.syncRecord.findMany({ where: { flowId, status: "written" }, take: 1 }));
    expect(sample?.sourcePayload).toBeTruthy();
    expect(sample?.mappedPayload).toBeTruthy();
    expect(await t.db.syncIntent.count({ where: { open: true } })).toBe(0);
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.checkpoint).toEqual({ done: true });
    const events = await t.db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" }, select: { seq: true } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
