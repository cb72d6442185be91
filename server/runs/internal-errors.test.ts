/**
 * What a person reads when the engine meets an infrastructure fault: a sentence, never the driver's
 * text. The run's checkpoint store is broken for real (the Run table renamed away under a running
 * engine): the run fails with "无法保存检查点：服务器内部错误…", the SQL error goes to the server log
 * once per failure site, and the run's message and events carry none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executePlan } from "@/server/engine/executor";
import type { EngineEvent } from "@/server/engine/types";
import { compileFlow } from "@/server/flows/compile";
import type { Simulators } from "@/server/testing/simulators";
import { sandboxResolver } from "./connections";
import { createRunHooks } from "./ledger-store";
import { createRun } from "./service";
import { importExample, readExample, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";

describe("internal errors never reach a person (SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: 30 } } });
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("a database error while saving the checkpoint: a clear sentence for the person, the real error in the log", async () => {
    const flowId = await importExample(t.db, EXAMPLE);
    const compiled = await compileFlow(readExample(EXAMPLE), { flowId, flowVersion: 1, resolveConnection: async () => ({ vendor: "" }) });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const plan = compiled.plan;
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const real = await createRunHooks(t.db, { id: runId, flowId, lastSeq: 0 });
    const events: EngineEvent[] = [];
    const hooks = { ...real, event: (e: EngineEvent) => (events.push(e), real.event(e)) };
    const connections = sandboxResolver(t.db, (id) => (id === plan.source.connectionId ? "guanyi" : "kingdee"));
    await connections(plan.source.connectionId); // resolve before the table goes
    await t.db.$executeRawUnsafe(`ALTER TABLE "Run" RENAME TO "RunGone"`);
    const logged: unknown[][] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void logged.push(a);
    let r;
    try {
      r = await executePlan(plan, hooks, { runId, connections, selection: { mode: "full" }, vars: {} });
    } finally {
      console.error = orig;
      await t.db.$executeRawUnsafe(`ALTER TABLE "RunGone" RENAME TO "Run"`);
    }
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/^无法保存检查点：服务器内部错误/);
    expect(r.error).not.toMatch(/no such table|"Run"|RunGone|UPDATE|prisma/i);
    for (const e of events) expect(e.message).not.toMatch(/no such table|"Run"|RunGone|prisma/i);
    // the real error is in the server log
    expect(logged.some((a) => String(a[0]).includes("[engine] saving a checkpoint") && /Run/.test(String(a[1])))).toBe(true);
  }, 30_000);
});
