/**
 * End to end over real HTTP: 管易云 shops → 金蝶 BD_Customer with the shipped example flow, the real
 * connectors, the simulators and a real SQLite database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRerun, createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, simConfig, sqliteDb, startSandbox, ledgerRows, type TestDb } from "./test-helpers";

const SHOPS = 250;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";

describe("guanyi shops → kingdee customers (example flow, SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;
  let flowId: string;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
    flowId = await importExample(t.db, EXAMPLE);
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("writes every shop once, as the source has it", async () => {
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("succeeded");
    expect(s.counts).toMatchObject({ read: SHOPS, written: SHOPS, failed: 0, invalid: 0, skipped: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    const ledger = await ledgerRows(t.db, { where: { flowId } });
    expect(ledger).toHaveLength(SHOPS);
    expect(ledger.every((r) => r.status === "written" && r.targetId && r.firstRunId === runId)).toBe(true);
    expect(ledger.every((r) => r.mappedPayload && r.targetResponse)).toBe(true);
    // first writes keep no history rows: the ledger row is that entry of each record's lineage
    expect(await t.db.syncRecordHistory.count({ where: { flowId } })).toBe(0);
    // one for one: every source code is a Kingdee number with the shop's name
    const byNumber = new Map(docs.documents.map((d) => [String(d.FNumber), d]));
    for (const r of ledger) {
      const src = r.sourcePayload as { code: string; name: string };
      expect(byNumber.get(src.code)?.FName).toBe(src.name);
    }
    const events = await t.db.runEvent.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    expect(events[0].type).toBe("run.started");
    expect(events[events.length - 1].type).toBe("run.finished");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it("a second run writes nothing new", async () => {
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("succeeded");
    expect(s.counts).toMatchObject({ read: SHOPS, skipped: SHOPS, written: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
  });

  it("a changed source record is updated, not duplicated", async () => {
    const ledgerBefore = (await ledgerRows(t.db, { where: { flowId }, orderBy: { sourceId: "asc" }, take: 1 }))[0];
    const code = (ledgerBefore?.sourcePayload as { code: string }).code;
    const r = await fetch(`${sims.guanyi.url}/__sandbox/mutate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ method: "gy.erp.shop.get", code, set: { name: "改名后的店铺" } }),
    });
    expect(r.ok).toBe(true);
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.counts).toMatchObject({ written: 1, skipped: SHOPS - 1 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    expect(docs.documents.find((d) => d.FNumber === code)?.FName).toBe("改名后的店铺");
    const after = await t.db.syncRecord.findUnique({ where: { flowId_sourceId: { flowId, sourceId: ledgerBefore!.sourceId } } });
    expect(after?.targetId).toBe(ledgerBefore?.targetId);
    // the update is in the history; the first write still shows through firstRunId
    expect(after?.firstRunId).toBe(ledgerBefore?.firstRunId);
    const hist = await t.db.syncRecordHistory.findMany({ where: { flowId, sourceId: ledgerBefore!.sourceId } });
    expect(hist.map((h) => [h.runId, h.status])).toEqual([[runId, "written"]]);
  });

  it("re-pushes one record by source id", async () => {
    const rec = await t.db.syncRecord.findFirst({ where: { flowId }, orderBy: { sourceId: "desc" } });
    const last = await t.db.run.findFirst({ where: { flowId }, orderBy: { createdAt: "desc" } });
    const runId = await createRerun(t.db, { runId: last!.id, mode: "records", sourceIds: [rec!.sourceId] });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("succeeded");
    expect(s.counts).toMatchObject({ read: 1, written: 1 });
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.parentRunId).toBe(last!.id);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
  });

  it("a new flow with lookupExisting updates documents already at the target instead of failing on duplicates", async () => {
    const other = await importExample(t.db, EXAMPLE, (d) => {
      d.name = "takeover";
      (d.nodes as { type: string; data: Record<string, unknown> }[]).find((n) => n.type === "target")!.data.lookupExisting = true;
    });
    const before = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    const s = await executeRun(t.db, await createRun(t.db, { flowId: other, options: { sandbox: true } }));
    expect(s.status).toBe("succeeded");
    expect(s.counts).toMatchObject({ written: SHOPS, failed: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(before.count);
    expect(docs.duplicates).toBe(0);
    const ids = new Set(before.documents.map((d) => String(d.FCUSTID)));
    const ledger = await ledgerRows(t.db, { where: { flowId: other } });
    expect(ledger.every((r) => r.targetId && ids.has(r.targetId))).toBe(true);
  });

  it("with faults on, every record is written once or listed as failed; a failed-only rerun writes exactly those", async () => {
    // fresh flow (new ledger) against a fresh Kingdee store
    await fetch(`${sims.kingdee.url}/__sandbox/reset`, { method: "POST", body: "{}" });
    // small pages and batches so the faults hit many calls
    const faultyFlow = await importExample(t.db, EXAMPLE, (d) => {
      d.name = "faults";
      const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
      nodes.find((n) => n.type === "source")!.data.pageSize = 20;
      nodes.find((n) => n.type === "target")!.data.batchSize = 10;
    });
    await simConfig(sims.guanyi.url, { errorRate: 0.1, dropRate: 0.02, qps: 8, seed: 7 });
    await simConfig(sims.kingdee.url, { errorRate: 0.1, dropRate: 0.02, rowFailureRate: 0.03, qps: 8, seed: 7 });
    const runId = await createRun(t.db, { flowId: faultyFlow, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("partial");
    expect(s.counts.read).toBe(SHOPS);
    expect(s.counts.failed).toBeGreaterThan(0);
    const gy = (await (await fetch(`${sims.guanyi.url}/__sandbox/state`)).json()) as { faults: Record<string, number> };
    const kd = (await (await fetch(`${sims.kingdee.url}/__sandbox/state`)).json()) as { faults: Record<string, number>; errors: Record<string, number> };
    expect(gy.faults.httpErrors + kd.faults.httpErrors).toBeGreaterThan(0);
    expect(gy.faults.dropped + kd.faults.dropped + gy.faults.rateLimited + kd.faults.rateLimited).toBeGreaterThan(0);
    const retries = await t.db.runEvent.count({ where: { runId, type: { in: ["retry", "rate_limited"] } } });
    expect(retries).toBeGreaterThan(0);
    expect(s.counts.written + s.counts.failed + s.counts.invalid).toBe(SHOPS);
    const ledger = await ledgerRows(t.db, { where: { flowId: faultyFlow } });
    expect(ledger).toHaveLength(SHOPS);
    const failed = ledger.filter((r) => r.status === "failed");
    expect(failed.length).toBe(s.counts.failed);
    expect(failed.every((r) => r.lastError && r.lastError.length > 0)).toBe(true);
    let docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.duplicates).toBe(0);
    expect(docs.count).toBe(s.counts.written);
    const written = new Set(ledger.filter((r) => r.status === "written").map((r) => (r.sourcePayload as { code: string }).code));
    expect(new Set(docs.documents.map((d) => String(d.FNumber)))).toEqual(written);

    // faults off: rerun the failed rows only
    await simConfig(sims.guanyi.url, { errorRate: 0, dropRate: 0 });
    await simConfig(sims.kingdee.url, { errorRate: 0, dropRate: 0, rowFailureRate: 0, qps: 0 });
    const rerunId = await createRerun(t.db, { runId, mode: "failed_only" });
    const r = await executeRun(t.db, rerunId);
    expect(r.status).toBe("succeeded");
    expect(r.counts).toMatchObject({ read: failed.length, written: failed.length, failed: 0 });
    docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
  }, 90_000);

  it("invalid rows are recorded with their reason and never sent", async () => {
    await fetch(`${sims.kingdee.url}/__sandbox/reset`, { method: "POST", body: "{}" });
    const invalidFlow = await importExample(t.db, EXAMPLE, (d) => {
      d.name = "invalid-rows";
      const v = (d.nodes as { type: string; data: { rules: unknown[] } }[]).find((n) => n.type === "validate")!;
      v.data.rules.push({ type: "regex", field: "code", pattern: "[02468]$", message: "店铺代码须以偶数结尾" });
    });
    const s = await executeRun(t.db, await createRun(t.db, { flowId: invalidFlow, options: { sandbox: true } }));
    expect(s.status).toBe("partial");
    expect(s.counts.invalid).toBeGreaterThan(0);
    expect(s.counts.invalid + s.counts.written).toBe(SHOPS);
    const invalid = await ledgerRows(t.db, { where: { flowId: invalidFlow, status: "invalid" } });
    expect(invalid).toHaveLength(s.counts.invalid);
    expect(invalid.every((r) => /偶数/.test(r.lastError ?? "") && r.attempts === 0 && !r.targetId)).toBe(true);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(s.counts.written);
    const sent = new Set(docs.documents.map((d) => String(d.FNumber)));
    expect(invalid.some((r) => sent.has((r.sourcePayload as { code: string }).code))).toBe(false);
  });

  it("bad credentials fail fast with the vendor's reason; a second run of a busy flow is refused", async () => {
    const sb = await t.db.connection.findUnique({ where: { name: "沙箱-管易云" } });
    const { encryptSecrets, decryptSecrets } = await import("./connections");
    const good = sb!.secretBlob;
    await t.db.connection.update({ where: { id: sb!.id }, data: { secretBlob: encryptSecrets({ ...decryptSecrets(good), secret: "wrong-secret" }) } });
    try {
      const started = Date.now();
      const s = await executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
      expect(s.status).toBe("failed");
      expect(s.error).toMatch(/读取来源失败/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await t.db.connection.update({ where: { id: sb!.id }, data: { secretBlob: good } });
    }
    // a run still marked running by a live worker (another host, heartbeat fresh) refuses a second one
    // at creation — no run row is written for it (see server/runs/one-active-run.test.ts)
    const a = await createRun(t.db, { flowId, options: { sandbox: true } });
    await t.db.run.update({ where: { id: a }, data: { status: "running", workerId: "other-host:1", heartbeatAt: new Date() } });
    const before = await t.db.run.count({ where: { flowId } });
    await expect(createRun(t.db, { flowId, options: { sandbox: true } })).rejects.toThrow(/该方案正在运行（运行 #/);
    expect(await t.db.run.count({ where: { flowId } })).toBe(before);
    await t.db.run.update({ where: { id: a }, data: { status: "cancelled" } });
  });
});
