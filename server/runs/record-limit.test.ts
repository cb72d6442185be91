/**
 * Bounded records: a source record over the run's size limit (default 1 MB of serialised JSON) is
 * settled invalid with its size in the reason, its content is neither stored in the ledger nor sent to
 * the target, and every other record of its page goes through. Real Guanyi and Kingdee simulators over
 * HTTP, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRerun, createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, ledgerRows, simReset, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 30;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";

async function mutateShop(url: string, code: string, set: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${url}/__sandbox/mutate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "gy.erp.shop.get", code, set }) });
  if (!r.ok) throw new Error(await r.text());
}

describe("record size limit (SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("a 5.2 MB record is invalid with its size, stored as a marker and never sent; the others are written", async () => {
    const flowId = await importExample(t.db, EXAMPLE, (d) => {
      d.name = "big-record";
    });
    const big = "长".repeat(Math.round((5.2 * 1024 * 1024) / 3)); // 3 UTF-8 bytes each
    await mutateShop(sims.guanyi.url, "G000007", { note: big });
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("partial");
    expect(s.counts).toMatchObject({ read: SHOPS, written: SHOPS - 1, invalid: 1, failed: 0 });

    const [row] = await ledgerRows(t.db, { where: { flowId, status: "invalid" } });
    expect(row.lastError).toMatch(/^记录大小 5\.2 MB 超过 1 MB 上限/);
    expect(row.number).toBe("G000007");
    expect(row.targetId).toBeNull();
    const stored = JSON.stringify(row.sourcePayload);
    expect(stored.length).toBeLessThan(500);
    expect(stored).not.toContain("长长长");
    // nothing of that size anywhere in the ledger's tables
    const raw = await t.db.syncRecord.findMany({ where: { flowId } });
    expect(raw.every((r) => JSON.stringify(r).length < 100_000)).toBe(true);
    const hist = await t.db.syncRecordHistory.findMany({ where: { flowId, runId, status: "invalid" } });
    expect(hist).toHaveLength(1);
    expect(hist[0].message).toMatch(/5\.2 MB/);

    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.documents.some((d) => d.FNumber === "G000007")).toBe(false);
    expect(docs.documents.every((d) => JSON.stringify(d).length < 10_000)).toBe(true);

    // re-pushing that record from the ledger cannot resurrect content that was never stored
    const again = await executeRun(t.db, await createRerun(t.db, { runId, mode: "records", sourceIds: [row.sourceId] }));
    expect(again.status).toBe("failed");
    expect(again.counts).toMatchObject({ read: 1, invalid: 1, written: 0 });
    const after = await t.db.syncRecord.findUnique({ where: { flowId_sourceId: { flowId, sourceId: row.sourceId } } });
    expect(after?.lastError).toMatch(/请从来源重新同步/);
  }, 60_000);

  it("the limit is a source setting: a 3 KB limit makes ordinary records with a long note invalid", async () => {
    const flowId = await importExample(t.db, EXAMPLE, (d) => {
      d.name = "small-limit";
      (d.nodes as { type: string; data: Record<string, unknown> }[]).find((n) => n.type === "source")!.data.maxRecordBytes = 3 * 1024;
    });
    await simReset(sims.kingdee.url); // a fresh target: this scheme creates the customers again
    await mutateShop(sims.guanyi.url, "G000007", { note: "x".repeat(4000) });
    const s = await executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
    expect(s.counts).toMatchObject({ read: SHOPS, invalid: 1, written: SHOPS - 1 });
    const [row] = await ledgerRows(t.db, { where: { flowId, status: "invalid" } });
    expect(row.lastError).toMatch(/^记录大小 \d+(\.\d)? KB 超过 3 KB 上限/);
  }, 60_000);
});
