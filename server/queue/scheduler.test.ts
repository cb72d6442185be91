import { afterAll, beforeAll, describe, expect, it } from "vitest";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import { createFlow, saveFlowVersion } from "@/server/flows/store";
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

  it("one scheme whose version cannot start does not hold up the others in the same tick", async () => {
    const sched = { cron: "*/5 * * * *", timezone: "Asia/Shanghai", enabled: true };
    const broken = await createFlow(t.db, { name: "坏方案", document: { ...guanyi, settings: { ...guanyi.settings, schedule: sched } } });
    const good = await createFlow(t.db, { name: "好方案", document: { ...guanyi, settings: { ...guanyi.settings, schedule: sched } } });
    // the broken scheme's current version is a draft that does not compile (no connection on its source)
    const v = await t.db.flowVersion.findFirstOrThrow({ where: { flowId: broken.id } });
    const doc = JSON.parse(JSON.stringify(v.document)) as { nodes: { type: string; data: Record<string, unknown> }[] };
    doc.nodes.find((n) => n.type === "source")!.data.connectionId = "";
    await t.db.flowVersion.update({ where: { id: v.id }, data: { document: doc as object } });
    const due = new Date("2026-03-01T00:00:00Z");
    await t.db.flow.updateMany({ where: { id: { in: [broken.id, good.id] } }, data: { nextRunAt: due } });
    const created = await scheduleTick(t.db, { enqueue: async () => undefined }, new Date("2026-03-01T00:00:30Z"));
    const runs = await t.db.run.findMany({ where: { id: { in: created } } });
    expect(runs.map((r) => r.flowId)).toContain(good.id);
    expect(runs.map((r) => r.flowId)).not.toContain(broken.id);
  });

  it("a saved version without a schedule keeps the schedule set on the scheme; an explicit one replaces it", async () => {
    const { schedule: _none, ...settings } = guanyi.settings;
    const plain = { ...guanyi, settings };
    const { id } = await createFlow(t.db, { name: "保留定时", document: plain });
    await t.db.flow.update({ where: { id }, data: { schedule: "0 0 2 * * *" } }); // set in the schedule panel
    await saveFlowVersion(t.db, id, { document: { ...plain, description: "改了说明" } });
    expect((await t.db.flow.findUniqueOrThrow({ where: { id } })).schedule).toBe("0 0 2 * * *");
    await saveFlowVersion(t.db, id, { document: { ...guanyi, settings: { ...guanyi.settings, schedule: { cron: "*/10 * * * *" } } } });
    expect((await t.db.flow.findUniqueOrThrow({ where: { id } })).schedule).toBe("*/10 * * * *");
    await saveFlowVersion(t.db, id, { document: { ...guanyi, settings: { ...guanyi.settings, schedule: null } } });
    expect((await t.db.flow.findUniqueOrThrow({ where: { id } })).schedule).toBeNull();
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
