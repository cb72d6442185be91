/**
 * A target outage is visible per record. Kingdee sits behind a small local proxy that plays the
 * outage: it lets the run log in and lets the first BatchSave through to Kingdee (it lands) but answers
 * it — and every call after it — with nginx's `502 Bad Gateway` page. Every record must end `failed`
 * with a readable reason and a history row, the run must count them and end 失败, a second run during
 * the outage must do the same (not fail with its rows unsettled), and once the target is back a
 * failed-only rerun writes every record exactly once: the batch that landed unseen is found by lookup
 * first, never created twice.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { ensureSandboxConnections } from "./connections";
import { createRerun, createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, ledgerRows, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 40;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";
const BAD_GATEWAY = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

type Mode = "pass" | "landThenDown" | "down";

/** A reverse proxy in front of the Kingdee simulator that can play an outage. */
async function startOutageProxy(upstream: string) {
  const state = { mode: "pass" as Mode, landed: false, calls: 0, refused: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.calls++;
      const isSave = /BatchSave/.test(req.url ?? "");
      const landThis = state.mode === "landThenDown" && isSave && !state.landed;
      if (landThis) state.landed = true;
      const down = state.mode === "down" || (state.mode === "landThenDown" && (state.landed || isSave));
      const refuse = () => {
        state.refused++;
        res.writeHead(502, { "content-type": "text/html" });
        res.end(BAD_GATEWAY);
      };
      if (down && !landThis) return refuse();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
      fetch(upstream + (req.url ?? ""), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
        .then(async (r) => {
          const body = Buffer.from(await r.arrayBuffer());
          if (landThis) return refuse(); // it landed at Kingdee; the client never learns
          const out: Record<string, string | string[]> = { "content-type": r.headers.get("content-type") ?? "application/json" };
          const cookies = r.headers.getSetCookie();
          if (cookies.length) out["set-cookie"] = cookies;
          res.writeHead(r.status, out);
          res.end(body);
        })
        .catch(() => refuse());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("target outage: Kingdee answers 502 to every call (SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;
  let proxy: Awaited<ReturnType<typeof startOutageProxy>>;
  let flowId: string;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(null, { config: { guanyi: { shops: SHOPS } } });
    proxy = await startOutageProxy(sims.kingdee.url);
    await ensureSandboxConnections(t.db, { ...sims, kingdee: { ...sims.kingdee, url: proxy.url } });
    flowId = await importExample(t.db, EXAMPLE, (d) => {
      const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
      nodes.find((n) => n.type === "target")!.data.batchSize = 10;
      // fast retries: the point is what happens after them
      (d.settings as Record<string, unknown>).retry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await sims?.close();
    await t?.drop();
  });

  it("fails every record with a readable reason and a history row; a failed-only rerun writes them exactly once", async () => {
    proxy.state.mode = "landThenDown";
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(proxy.state.landed).toBe(true);
    expect(s.status).toBe("failed");
    expect(s.counts).toMatchObject({ read: SHOPS, written: 0, failed: SHOPS, invalid: 0 });
    expect(s.error).toMatch(/没有记录写入目标/);
    // one batch (10 shops) is at Kingdee although the run never heard back
    expect((await kingdeeDocuments(sims.kingdee.url, "BD_Customer")).count).toBe(10);

    const ledger = await ledgerRows(t.db, { where: { flowId } });
    expect(ledger).toHaveLength(SHOPS);
    for (const r of ledger) {
      expect(r.status).toBe("failed");
      expect(r.lastError).toMatch(/HTTP 502/);
      expect(r.lastError).toMatch(/写入结果未知/); // the write may have landed: a rerun checks first
      expect(r.lastError).toMatch(/网关错误/); // the status in words, not the nginx page
      expect(r.lastError).not.toMatch(/<html|<h1|Bad Gateway/);
      expect(r.attempts).toBeGreaterThan(0);
      expect(r.sourcePayload).toBeTruthy(); // a rerun re-maps it
    }
    const hist = await t.db.syncRecordHistory.findMany({ where: { flowId, runId } });
    expect(hist).toHaveLength(SHOPS);
    expect(hist.every((h) => h.status === "failed" && /HTTP 502/.test(h.message ?? ""))).toBe(true);
    const failedEvents = await t.db.runEvent.count({ where: { runId, type: "record.failed" } });
    expect(failedEvents).toBe(SHOPS);

    // still down: a failed-only rerun (rows attempted before → looked up first; the lookup fails too)
    // settles every row failed again instead of ending with them unsettled
    proxy.state.mode = "down";
    const downRerun = await executeRun(t.db, await createRerun(t.db, { runId, mode: "failed_only" }));
    expect(downRerun.status).toBe("failed");
    expect(downRerun.counts).toMatchObject({ read: SHOPS, written: 0, failed: SHOPS });
    const hist2 = await t.db.syncRecordHistory.findMany({ where: { flowId, runId: downRerun.runId } });
    expect(hist2).toHaveLength(SHOPS);
    expect(hist2.every((h) => /写入结果未知/.test(h.message ?? "") && /HTTP 502/.test(h.message ?? ""))).toBe(true);
    expect((await t.db.syncIntent.count({ where: { flowId, open: true } }))).toBe(0);

    // the target is back: retry the failed records of the first run
    proxy.state.mode = "pass";
    const rerun = await executeRun(t.db, await createRerun(t.db, { runId: downRerun.runId, mode: "failed_only" }));
    expect(rerun.status).toBe("succeeded");
    expect(rerun.counts).toMatchObject({ read: SHOPS, written: SHOPS, failed: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    expect(docs.createdMoreThanOnce).toBe(0);
    const after = await ledgerRows(t.db, { where: { flowId } });
    expect(after.every((r) => r.status === "written" && r.targetId)).toBe(true);
  }, 60_000);

  it("a target that stays down is not called for every batch: after a few batches the rest fail unsent at once, and a re-push writes them all once", async () => {
    const shops = 300;
    const t2 = await sqliteDb();
    const sims2 = await startSandbox(null, { config: { guanyi: { shops } } });
    const proxy2 = await startOutageProxy(sims2.kingdee.url);
    try {
      await ensureSandboxConnections(t2.db, { ...sims2, kingdee: { ...sims2.kingdee, url: proxy2.url } });
      const flow = await importExample(t2.db, EXAMPLE, (d) => {
        const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
        nodes.find((n) => n.type === "target")!.data.batchSize = 10;
        (d.settings as Record<string, unknown>).retry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
      });
      proxy2.state.mode = "down";
      const runId = await createRun(t2.db, { flowId: flow, options: { sandbox: true } });
      const s = await executeRun(t2.db, runId);
      expect(s.status).toBe("failed");
      expect(s.counts).toMatchObject({ read: shops, written: 0, failed: shops });
      const ledger = await ledgerRows(t2.db, { where: { flowId: flow } });
      expect(ledger).toHaveLength(shops);
      // 30 batches, 4 writers: only the batches that started before the circuit opened (3 failures in a
      // row, plus at most the 3 others then in flight) were sent; the rest failed unsent at once (no
      // probe is due within 30 s). How many HTTP calls that is depends on the login's single-flight
      // timing, so the rows are counted, not the calls.
      const unsent = ledger.filter((r) => /本批未发送/.test(r.lastError ?? ""));
      expect(unsent.length).toBeGreaterThanOrEqual(shops - 6 * 10);
      for (const r of ledger) {
        expect(r.status).toBe("failed");
        expect(r.lastError).toMatch(/HTTP 502（网关错误）/);
        expect(r.lastError).not.toMatch(/<html|Bad Gateway/);
      }
      expect(await t2.db.runEvent.count({ where: { runId, type: "record.failed" } })).toBe(shops);

      proxy2.state.mode = "pass";
      const rerun = await executeRun(t2.db, await createRerun(t2.db, { runId, mode: "failed_only" }));
      expect(rerun.status).toBe("succeeded");
      expect(rerun.counts).toMatchObject({ read: shops, written: shops, failed: 0 });
      const docs = await kingdeeDocuments(sims2.kingdee.url, "BD_Customer");
      expect(docs.count).toBe(shops);
      expect(docs.duplicates).toBe(0);
    } finally {
      await proxy2.close();
      await sims2.close();
      await t2.drop();
    }
  }, 60_000);
});
