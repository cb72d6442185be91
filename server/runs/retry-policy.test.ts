/**
 * One retry policy per call: a source page that keeps failing is tried exactly as often as the flow's
 * retry settings say (by the connector), not again by the engine on top (issue #15: 5 × 30 s nested in
 * × 6). The run then fails with the vendor's reason and resumes from its checkpoint. Real Guanyi and
 * Kingdee simulators, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executePlan } from "@/server/engine/executor";
import { compileFlow } from "@/server/flows/compile";
import type { Simulators } from "@/server/testing/simulators";
import { sandboxResolver } from "./connections";
import { createRunHooks } from "./ledger-store";
import { createRun } from "./service";
import { importExample, kingdeeDocuments, readExample, simConfig, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 30;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";
const ATTEMPTS = 3;

describe("one retry policy per call (SQLite)", () => {
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

  it("a failing source page is tried maxAttempts times in all, then the run fails and resumes from its checkpoint", async () => {
    const patch = (d: Record<string, unknown>) => {
      const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
      nodes.find((n) => n.type === "source")!.data.pageSize = 10;
      nodes.find((n) => n.type === "target")!.data.batchSize = 10;
      // waits long enough for page 1's batch to be written and checkpointed before page 2 gives up
      (d.settings as Record<string, unknown>).retry = { maxAttempts: ATTEMPTS, baseDelayMs: 300, maxDelayMs: 300 };
    };
    const flowId = await importExample(t.db, EXAMPLE, patch);
    const doc = readExample(EXAMPLE);
    patch(doc);
    const compiled = await compileFlow(doc, { flowId, flowVersion: 1, resolveConnection: async () => ({ vendor: "" }) });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const plan = compiled.plan;
    const connections = sandboxResolver(t.db, (id) => (id === plan.source.connectionId ? "guanyi" : "kingdee"));
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const hooks = await createRunHooks(t.db, { id: runId, flowId, lastSeq: 0 });

    const pageCalls = async () => ((await (await fetch(`${sims.guanyi.url}/__sandbox/state`)).json()) as { requests: Record<string, number> }).requests["gy.erp.shop.get"] ?? 0;
    // page 1 answers; page 2 answers 502 many more times than the policy allows
    const FAULTS = 20;
    await simConfig(sims.guanyi.url, { failNext: [{ method: "gy.erp.shop.get" }, ...Array.from({ length: FAULTS }, () => ({ method: "gy.erp.shop.get", status: 502 }))] });
    const before = await pageCalls();
    const r = await executePlan(plan, hooks, { runId, connections, selection: { mode: "full" }, vars: {} });
    await hooks.drain();
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/^读取来源失败：.*HTTP 502/);
    expect((await pageCalls()) - before).toBe(1 + ATTEMPTS); // page 1, then page 2 × the policy's attempts
    expect(r.pages).toBe(1);
    expect(r.counts).toMatchObject({ read: 10, written: 10 });
    const state = (await (await fetch(`${sims.guanyi.url}/__sandbox/state`)).json()) as { failNext: unknown[] };
    expect(state.failNext).toHaveLength(FAULTS - ATTEMPTS);

    // the vendor recovers: resume from the checkpoint (pages 2 and 3 only)
    await simConfig(sims.guanyi.url, { failNext: [] });
    const run = await t.db.run.findUniqueOrThrow({ where: { id: runId } });
    const cp = run.checkpoint as { next: Record<string, unknown> | null };
    const hooks2 = await createRunHooks(t.db, { id: runId, flowId, lastSeq: hooks.lastSeq() });
    const mid = await pageCalls();
    const r2 = await executePlan(plan, hooks2, { runId, connections, selection: { mode: "full" }, vars: {}, resume: { next: cp.next, pages: r.pages, counts: r.counts } });
    await hooks2.drain();
    expect(r2.status).toBe("succeeded");
    expect(r2.counts).toMatchObject({ read: SHOPS, written: SHOPS });
    expect((await pageCalls()) - mid).toBe(2);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.createdMoreThanOnce).toBe(0);
  }, 60_000);
});
