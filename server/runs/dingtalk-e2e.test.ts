/**
 * End to end over real HTTP: 钉钉 备用金 approvals → 金蝶 ER_ExpenseRequest (借款) with the shipped
 * example flow: listids + get, cursor paging of 20, only approved ones, incremental window.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, sqliteDb, startSandbox, ledgerRows, type TestDb } from "./test-helpers";

const APPROVALS = 160;
const EXAMPLE = "dingtalk-pettycash-to-kingdee.json";
const PETTY = "PROC-SQ-BYJ-7F3A2C1D-5B6E-4D8A-9C0F-2E4A6B8D0C1E";

describe("dingtalk petty cash → kingdee expense requests (example flow, SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;
  let flowId: string;
  let approved: number;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { dingtalk: { approvals: APPROVALS } } });
    flowId = await importExample(t.db, EXAMPLE);
    const st = (await (await fetch(`${sims.dingtalk.url}/__sandbox/state`)).json()) as { processCodes: { process_code: string; instances: number; completedAgree: number }[] };
    approved = st.processCodes.find((p) => p.process_code === PETTY)!.completedAgree;
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("writes each approved petty-cash approval once as a loan request", async () => {
    expect(approved).toBeGreaterThan(10);
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    const failures = await ledgerRows(t.db, { where: { flowId, status: { in: ["failed", "invalid"] } }, take: 3 });
    expect(failures.map((f) => f.lastError)).toEqual([]);
    expect(s.status).toBe("succeeded");
    expect(s.counts.written).toBe(approved);
    expect(s.counts.read).toBe(s.counts.written + s.counts.filtered);
    const docs = await kingdeeDocuments(sims.kingdee.url, "ER_ExpenseRequest");
    expect(docs.count).toBe(approved);
    expect(docs.duplicates).toBe(0);
    const ledger = await ledgerRows(t.db, { where: { flowId } });
    const byBill = new Map(docs.documents.map((d) => [String(d.FBillNo), d]));
    for (const r of ledger) {
      const src = r.sourcePayload as { business_id: string; status: string; result: string };
      expect(src.status).toBe("COMPLETED");
      expect(src.result).toBe("agree");
      const doc = byBill.get(`BYJ${src.business_id}`);
      expect(doc).toBeDefined();
      expect(doc?.FIsBorrow).toBe(true);
    }
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.windowStart).toBeTruthy();
    const wm = await t.db.watermark.findUnique({ where: { flowId } });
    expect(wm?.lastSyncAt.getTime()).toBe(run?.windowEnd?.getTime());
  });

  it("the next run reads from the watermark (minus overlap) and writes nothing new", async () => {
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("succeeded");
    expect(s.counts.written).toBe(0);
    const run = await t.db.run.findUnique({ where: { id: runId } });
    const prev = await t.db.run.findFirst({ where: { flowId, id: { not: runId } }, orderBy: { createdAt: "desc" } });
    expect(run!.windowStart!.getTime()).toBe(prev!.windowEnd!.getTime() - 86400_000);
    const docs = await kingdeeDocuments(sims.kingdee.url, "ER_ExpenseRequest");
    expect(docs.count).toBe(approved);
  });
});
