/**
 * A database failure inside a run reaches the run's stored error (what the run page and the CLI show)
 * as a sentence naming what failed — never the driver's text or a Prisma query. Real SQLite database
 * whose intent table is gone, real simulators.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRun, executeRun } from "./service";
import { importExample, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

describe("database errors inside a run", () => {
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

  it("are stored as a sentence, logged in full", async () => {
    const flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json");
    await t.db.$executeRawUnsafe(`DROP TABLE "SyncIntent"`);
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const s = await executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
      expect(s.status).toBe("failed");
      expect(s.error).toMatch(/数据库操作失败（读取未决批次），详情见服务器日志/);
      expect(s.error).not.toMatch(/SyncIntent|no such table|Invalid `|prisma/i);
      const events = await t.db.runEvent.findMany({ where: { runId: s.runId } });
      for (const e of events) expect(e.message).not.toMatch(/no such table|Invalid `/);
      expect(logged.mock.calls.some((c) => String(c[1] ?? "").includes("SyncIntent"))).toBe(true);
    } finally {
      logged.mockRestore();
    }
  }, 60_000);
});
