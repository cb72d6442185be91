import { afterAll, beforeAll, describe, expect, it } from "vitest";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import { createFlow } from "@/server/flows/store";
import { sqliteDb, type TestDb } from "@/server/runs/test-helpers";
import { InProcessQueue } from "./index";
import { checkCron, nextCronTime, scheduleTick } from "./scheduler";

describe("scheduler", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await sqliteDb();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("computes cron times in Asia/Shanghai and rejects bad expressions", () => {
    // 02:00 Beijing = 18:00 UTC the day before
    const next = nextCronTime("0 0 2 * * *", "Asia/Shanghai", new Date("2026-01-01T00:00:00Z"));
    expect(next.toISOString()).toBe("2026-01-01T18:00:00.000Z");
    expect(checkCron("not a cron")).toMatch(/定时表达式无效/);
    expect(checkCron("*/15 * * * *")).toBeNull();
  });

  it("runs a missed schedule once, never overlaps runs of one flow", async () => {
    const doc = { ...guanyi, settings: { ...guanyi.settings, schedule: { cron: "*/5 * * * *", timezone: "Asia/Shanghai", enabled: true } } };
    const { id } = await createFlow(t.db, { name: "scheduled", document: doc });
    const flow = await t.db.flow.findUnique({ where: { id } });
    expect(flow?.schedule).toBe("*/5 * * * *");
    const enqueued: string[] = [];
    const q = { enqueue: async (runId: string) => void enqueued.push(runId) };
    // first tick only plans the next slot
    expect(await scheduleTick(t.db, q, new Date("2026-01-01T00:00:30Z"))).toEqual([]);
    // down for an hour: 12 slots missed → one run
    const created = await scheduleTick(t.db, q, new Date("2026-01-01T01:00:30Z"));
    expect(created).toHaveLength(1);
    expect(enqueued).toEqual(created);
    const after = await t.db.flow.findUnique({ where: { id } });
    expect(after?.nextRunAt?.toISOString()).toBe("2026-01-01T01:05:00.000Z");
    // due again while the first run is still queued: skipped (no overlap)
    expect(await scheduleTick(t.db, q, new Date("2026-01-01T01:05:30Z"))).toEqual([]);
    const runs = await t.db.run.findMany({ where: { flowId: id } });
    expect(runs.map((r) => r.trigger)).toEqual(["schedule"]);
  });

  it("the in-process queue runs each id once, a few at a time", async () => {
    const q = new InProcessQueue(2);
    const seen: string[] = [];
    let active = 0;
    let peak = 0;
    q.start(async (id) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      seen.push(id);
      active--;
    });
    for (const id of ["a", "b", "a", "c", "d"]) await q.enqueue(id);
    await q.idle();
    expect(seen.sort()).toEqual(["a", "b", "c", "d"]);
    expect(peak).toBe(2);
    await q.stop();
  });
});
