/**
 * The ledger router on SQLite and PostgreSQL: browse a scheme's records with keyset paging, search by
 * source id or business number (exact and prefix), filter by status, counts per status, and one
 * record's lineage across runs with its payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`records router on ${provider}`, () => {
    let t: TestDb;
    let api: ReturnType<typeof createCaller>;
    let flowId: string;
    let otherFlow: string;
    let runs: string[];
    beforeAll(async () => {
      t = await createTestDb(provider);
      api = createCaller(asAdmin(t.db));
      flowId = (await api.flows.create({ name: "管易云店铺 → 金蝶客户" })).id;
      otherFlow = (await api.flows.create({ name: "另一个方案" })).id;
      const v = await t.db.flowVersion.findFirstOrThrow({ where: { flowId } });
      runs = [];
      for (const [i, trigger] of ["manual", "rerun"].entries()) {
        const r = await t.db.run.create({ data: { flowId, flowVersionId: v.id, trigger, mode: i ? "failed_only" : "full", status: i ? "succeeded" : "partial", createdAt: new Date(Date.now() - (2 - i) * 60_000) } });
        runs.push(r.id);
      }
      await t.db.syncRecord.createMany({
        data: [
          ...Array.from({ length: 30 }, (_, i) => ({
            flowId,
            sourceId: String(1000 + i),
            number: `G${String(i + 1).padStart(3, "0")}`,
            status: i === 4 ? "failed" : i === 7 ? "invalid" : "written",
            targetId: i === 4 || i === 7 ? null : String(100000 + i),
            targetNumber: i === 4 || i === 7 ? null : `G${String(i + 1).padStart(3, "0")}`,
            attempts: i === 0 ? 2 : 1,
            lastError: i === 4 ? "客户编码已存在" : null,
            lastRunId: i === 0 ? runs[1] : runs[0],
            // as the engine leaves it: a record first written by runs[0] has no history row for it
            firstRunId: i === 4 || i === 7 ? null : runs[0],
            sourcePayload: { id: 1000 + i, code: `G${String(i + 1).padStart(3, "0")}`, name: `店铺${i + 1}` },
            mappedPayload: { FNumber: `G${String(i + 1).padStart(3, "0")}`, FName: `店铺${i + 1}` },
            targetResponse: i === 4 ? { IsSuccess: false, Errors: [{ Message: "客户编码已存在", DIndex: 0 }] } : { IsSuccess: true, Id: 100000 + i },
          })),
          { flowId: otherFlow, sourceId: "1000", number: "G001", status: "written" },
        ],
      });
      await t.db.syncRecordHistory.createMany({
        data: [
          { flowId, sourceId: "1000", runId: runs[0], status: "failed", message: "组织 100 不存在", createdAt: new Date(Date.now() - 120_000) },
          { flowId, sourceId: "1000", runId: runs[1], status: "written", targetId: "100000", createdAt: new Date(Date.now() - 60_000) },
        ],
      });
    });
    afterAll(async () => t?.drop());

    it("browses a scheme's ledger page by page, only its own records", async () => {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const p = await api.records.list({ flowId, limit: 7, cursor });
        seen.push(...p.items.map((r) => r.sourceId));
        cursor = p.nextCursor;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => String(1000 + i)));
      const counts = await api.records.counts({ flowId });
      expect(counts).toMatchObject({ written: 28, failed: 1, invalid: 1, total: 30 });
    });

    it("finds a record by business number, by prefix, by source id, and filters by status", async () => {
      expect((await api.records.list({ flowId, search: "G005" })).items.map((r) => [r.sourceId, r.status, r.lastError])).toEqual([["1004", "failed", "客户编码已存在"]]);
      expect((await api.records.list({ flowId, search: "G01" })).items.map((r) => r.number)).toEqual(["G010", "G011", "G012", "G013", "G014", "G015", "G016", "G017", "G018", "G019"]);
      expect((await api.records.list({ flowId, search: " 1007 " })).items.map((r) => r.number)).toEqual(["G008"]);
      expect((await api.records.list({ flowId, status: "invalid" })).items.map((r) => r.number)).toEqual(["G008"]);
      expect((await api.records.list({ flowId, search: "G0", status: "failed" })).items.map((r) => r.number)).toEqual(["G005"]);
      expect((await api.records.list({ flowId, search: "不存在" })).items).toEqual([]);
    });

    it("shows one record's lineage: history across runs, payloads and the vendor's response", async () => {
      const l = await api.records.lineage({ flowId, sourceId: "1000" });
      expect(l.flowName).toBe("管易云店铺 → 金蝶客户");
      expect(l.record).toMatchObject({ number: "G001", status: "written", targetId: "100000", attempts: 2, lastRunId: runs[1] });
      expect(l.record.sourcePayload).toEqual({ id: 1000, code: "G001", name: "店铺1" });
      expect(l.record.mappedPayload).toEqual({ FNumber: "G001", FName: "店铺1" });
      expect(l.record.targetResponse).toEqual({ IsSuccess: true, Id: 100000 });
      expect(l.history.map((h) => [h.status, h.message, h.run?.trigger, h.run?.mode, h.run?.version])).toEqual([
        ["written", null, "rerun", "failed_only", 1],
        ["failed", "组织 100 不存在", "manual", "full", 1],
      ]);
      const failed = await api.records.lineage({ flowId, sourceId: "1004" });
      expect(failed.record.targetResponse).toMatchObject({ Errors: [{ Message: "客户编码已存在" }] });
      expect(failed.history).toEqual([]);
      // written once, by runs[0]: no history row, the entry comes from the ledger row
      const once = await api.records.lineage({ flowId, sourceId: "1002" });
      expect(once.history).toHaveLength(1);
      expect(once.history[0]).toMatchObject({ status: "written", targetId: "100002", run: { id: runs[0], trigger: "manual", version: 1 } });
      await expect(api.records.lineage({ flowId, sourceId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
}
