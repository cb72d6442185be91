/**
 * The stall detector: a run with no progress (no page read, nothing settled) for the stall limit fails
 * with a clear reason instead of staying `running`, and stays resumable — a hanging source page leaves
 * a checkpoint to resume from; a hanging write leaves its batch's intent open, and the next run settles
 * that batch by lookup (it landed after all), so nothing is written twice. Real simulators over HTTP
 * (their fault queue holds one request for seconds), real SQLite; the stall limit is made small.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executePlan } from "@/server/engine/executor";
import type { Plan } from "@/server/engine/types";
import { compileFlow } from "@/server/flows/compile";
import type { Simulators } from "@/server/testing/simulators";
import { sandboxResolver } from "./connections";
import { createRunHooks } from "./ledger-store";
import { createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, readExample, simConfig, simReset, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 30;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";
const STALL_MS = 800;
const HANG_MS = 4_000;

function small(d: Record<string, unknown>, name: string): void {
  d.name = name;
  const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
  nodes.find((n) => n.type === "source")!.data.pageSize = 10;
  nodes.find((n) => n.type === "target")!.data.batchSize = 10;
  (d.settings as Record<string, unknown>).retry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
}

describe("stall detector (SQLite)", () => {
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

  async function start(name: string): Promise<{ flowId: string; runId: string; plan: Plan; hooks: Awaited<ReturnType<typeof createRunHooks>>; connections: ReturnType<typeof sandboxResolver> }> {
    const flowId = await importExample(t.db, EXAMPLE, (d) => small(d, name));
    const doc = readExample(EXAMPLE);
    small(doc, name);
    const compiled = await compileFlow(doc, { flowId, flowVersion: 1, resolveConnection: async () => ({ vendor: "" }) });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const hooks = await createRunHooks(t.db, { id: runId, flowId, lastSeq: 0 });
    const plan = compiled.plan;
    const connections = sandboxResolver(t.db, (id) => (id === plan.source.connectionId ? "guanyi" : id === plan.target.connectionId ? "kingdee" : undefined));
    return { flowId, runId, plan, hooks, connections };
  }

  it("a hanging source page: the run fails with the stall reason and resumes from its checkpoint", async () => {
    await simReset(sims.kingdee.url);
    const { runId, plan, hooks, connections } = await start("stall-source");
    // page 1 answers, page 2 hangs
    await simConfig(sims.guanyi.url, { failNext: [{ method: "gy.erp.shop.get" }, { method: "gy.erp.shop.get", delayMs: HANG_MS }] });
    const t0 = Date.now();
    const r = await executePlan(plan, hooks, { runId, connections, selection: { mode: "full" }, vars: {}, stallMs: STALL_MS });
    await hooks.drain();
    const took = Date.now() - t0;
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/^运行 0\.8 秒没有进展.*已停止，可从检查点继续/);
    expect(took).toBeLessThan(HANG_MS); // ended by the detector, not by the vendor finally answering
    expect(r.pages).toBe(1);
    expect(r.counts).toMatchObject({ read: 10, written: 10 });
    const run = await t.db.run.findUniqueOrThrow({ where: { id: runId } });
    const cp = run.checkpoint as { next: Record<string, unknown> | null };
    expect(cp.next).toBeTruthy();

    // resume from the checkpoint: pages 2 and 3, nothing of page 1 read or sent again
    await new Promise((w) => setTimeout(w, HANG_MS - took + 200)); // let the held request finish
    const before = ((await (await fetch(`${sims.guanyi.url}/__sandbox/state`)).json()) as { requests: Record<string, number> }).requests["gy.erp.shop.get"];
    const hooks2 = await createRunHooks(t.db, { id: runId, flowId: plan.flowId, lastSeq: hooks.lastSeq() });
    const r2 = await executePlan(plan, hooks2, { runId, connections, selection: { mode: "full" }, vars: {}, stallMs: STALL_MS, resume: { next: cp.next, pages: r.pages, counts: r.counts } });
    await hooks2.drain();
    expect(r2.status).toBe("succeeded");
    expect(r2.counts).toMatchObject({ read: SHOPS, written: SHOPS, failed: 0 });
    const after = ((await (await fetch(`${sims.guanyi.url}/__sandbox/state`)).json()) as { requests: Record<string, number> }).requests["gy.erp.shop.get"];
    expect(after - before).toBe(2);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.createdMoreThanOnce).toBe(0);
  }, 30_000);

  it("a hanging write: the run fails with the stall reason, the batch's intent stays open, the next run settles it by lookup", async () => {
    await simReset(sims.kingdee.url);
    const { flowId, runId, plan, hooks, connections } = await start("stall-write");
    await simConfig(sims.kingdee.url, { failNext: [{ method: "BatchSave", delayMs: HANG_MS }] });
    const t0 = Date.now();
    const r = await executePlan(plan, hooks, { runId, connections, selection: { mode: "full" }, vars: {}, stallMs: STALL_MS });
    await hooks.drain();
    const took = Date.now() - t0;
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/没有进展/);
    expect(took).toBeLessThan(HANG_MS);
    // the held batch: no outcome, its intent open; the other batches stored normally
    expect(r.counts).toMatchObject({ read: SHOPS, written: SHOPS - 10, failed: 0 });
    const open = await t.db.syncIntent.findMany({ where: { flowId, open: true } });
    expect(open.map((i) => i.size)).toEqual([10]);

    // whether the abandoned call landed is the vendor's business: the next ordinary run asks first
    await new Promise((w) => setTimeout(w, HANG_MS - took + 300));
    // (the engine was driven directly: record the run's end as the run service would, so the scheme
    // has no active run and may start again)
    await t.db.run.update({ where: { id: runId }, data: { status: r.status, finishedAt: new Date(), error: r.error } });
    const nextRun = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, nextRun);
    expect(s.status).toBe("succeeded");
    const settled = await t.db.runEvent.findFirst({ where: { runId: nextRun, type: "uncertain.settled" } });
    expect(settled?.data).toMatchObject({ uncertain: 10 });
    expect(await t.db.syncIntent.count({ where: { flowId, open: true } })).toBe(0);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    expect(docs.createdMoreThanOnce).toBe(0);
    expect(await t.db.syncRecord.count({ where: { flowId, status: "written" } })).toBe(SHOPS);
  }, 30_000);
});
