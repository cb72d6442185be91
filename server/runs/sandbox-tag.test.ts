/**
 * A run whose scheme uses only sandbox connections is a sandbox run wherever it was started — the
 * designer, the data page's 立即运行 or a schedule — not only when the caller says so (issue #17: runs
 * started from the data page lost their 沙箱 tag). Real SQLite, real sandbox connections.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRun } from "./service";
import { importExample, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

describe("the sandbox tag follows the scheme's connections", () => {
  let t: TestDb;
  let sims: Simulators;
  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db);
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  const optionsOf = async (runId: string) => (await t.db.run.findUniqueOrThrow({ where: { id: runId } })).options as { sandbox?: boolean };

  it("only sandbox connections → a sandbox run, unless the caller says otherwise", async () => {
    const flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json");
    const runId = await createRun(t.db, { flowId, trigger: "manual" });
    expect((await optionsOf(runId)).sandbox).toBe(true);
    await t.db.run.update({ where: { id: runId }, data: { status: "succeeded" } });
    const explicit = await createRun(t.db, { flowId, options: { sandbox: false } });
    expect((await optionsOf(explicit)).sandbox).toBe(false);
  });

  it("a real connection among them → not a sandbox run", async () => {
    const real = await t.db.connection.create({ data: { name: "正式-金蝶", vendor: "kingdee", baseUrl: "https://erp.example.com/k3cloud/", settings: {}, sandbox: false } });
    const flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
      d.name = "正式目标";
      const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
      nodes.find((n) => n.type === "target")!.data.connectionId = real.id;
    });
    const runId = await createRun(t.db, { flowId, trigger: "schedule" });
    expect((await optionsOf(runId)).sandbox).toBe(false);
  });
});
