/**
 * A rerun of 10,000 chosen records (the most the API accepts) on SQLite and PostgreSQL: every chosen
 * record is re-sent once. Before the ledger chunked its `IN` lists, SQLite refused the one statement
 * carrying every id ("too many SQL variables") above ~996 ids and the run failed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRerun, createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, postgresDb, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 10_000;

for (const provider of ["sqlite", "postgres"] as const) {
  describe(`rerun of ${SHOPS} chosen records (${provider})`, () => {
    let t: TestDb | null;
    let sims: Simulators;
    let flowId: string;

    beforeAll(async () => {
      t = provider === "sqlite" ? await sqliteDb() : await postgresDb();
      if (!t) return;
      sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
      flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
        const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
        nodes.find((n) => n.type === "source")!.data.pageSize = 100;
        nodes.find((n) => n.type === "target")!.data.batchSize = 200;
      });
    }, 120_000);
    afterAll(async () => {
      await sims?.close();
      await t?.drop();
    });

    it("re-sends every chosen record once", async (ctx) => {
      if (!t) return ctx.skip();
      const first = await executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
      expect(first.status).toBe("succeeded");
      expect(first.counts.written).toBe(SHOPS);
      const ids = (await t.db.syncRecord.findMany({ where: { flowId }, select: { sourceId: true } })).map((r) => r.sourceId);
      expect(ids).toHaveLength(SHOPS);
      // in an order the database would not use, with a duplicate and an id the ledger does not know
      const chosen = [...ids].reverse();
      chosen.push(ids[0], "no-such-record");
      const rerunId = await createRerun(t.db, { runId: first.runId, mode: "records", sourceIds: chosen });
      const s = await executeRun(t.db, rerunId);
      expect(s.error ?? null).toBeNull();
      expect(s.status).toBe("succeeded");
      expect(s.counts).toMatchObject({ read: SHOPS, written: SHOPS, failed: 0 });
      const hist = await t.db.syncRecordHistory.count({ where: { runId: rerunId, status: "written" } });
      expect(hist).toBe(SHOPS);
      const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
      expect(docs.count).toBe(SHOPS);
      expect(docs.duplicates).toBe(0);
    }, 240_000);
  });
}
