/**
 * Source request parameters are resolved per run: templates and `_function` expressions — including
 * ones without any placeholder — reach the vendor as values, over real HTTP against the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRun, executeRun } from "./service";
import { importExample, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

type Doc = { name?: string; nodes: { type: string; data: { params?: Record<string, unknown> } }[] };

describe("source parameters with expressions", () => {
  let t: TestDb;
  let sims: Simulators;
  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: 40 } } });
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  const runWith = async (name: string, params: Record<string, unknown>) => {
    const flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (raw) => {
      const doc = raw as unknown as Doc;
      doc.name = name;
      doc.nodes.find((n) => n.type === "source")!.data.params = params;
    });
    return executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
  };

  it("a placeholder-free _function is evaluated, not sent as text", async () => {
    const s = await runWith("窗口到一小时后", { modify_end_date: "_function FROM_UNIXTIME(UNIX_TIMESTAMP() + 3600, '%Y-%m-%d %H:%i:%s')" });
    expect(s.status).toBe("succeeded");
    expect(s.counts.read).toBe(40);
  });

  it("a window ending long ago reads nothing: the expression really reached the vendor", async () => {
    const s = await runWith("窗口在很久以前", { modify_end_date: "_function FROM_UNIXTIME(UNIX_TIMESTAMP() - 86400 * 3650, '%Y-%m-%d %H:%i:%s')" });
    expect(s.status).toBe("succeeded");
    expect(s.counts.read).toBe(0);
  });
});
