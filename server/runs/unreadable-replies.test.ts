/**
 * End to end through the run service: an incremental 管易云 → 金蝶 scheme whose source starts answering
 * an HTML page (HTTP 200) must end `failed` with the connector's message, write nothing, and leave the
 * flow's watermark where the last good run put it — a window whose reads did not all succeed is never
 * skipped. Real simulators, a real SQLite database, a small proxy in front of the Guanyi simulator.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulators } from "@/server/testing/simulators";
import { createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SHOPS = 250; // three pages of 100

/** Forwards to the Guanyi simulator, or answers what `mode` says. */
async function startProxy(target: string): Promise<{ url: string; mode: { reply: "pass" | "html" | "nolist"; fromPage?: number }; hits: () => number; close(): Promise<void> }> {
  const mode: { reply: "pass" | "html" | "nolist"; fromPage?: number } = { reply: "pass" };
  let hits = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      hits += 1;
      const page = Number((JSON.parse(Buffer.concat(chunks).toString() || "{}") as { page_no?: unknown }).page_no ?? 1);
      if (mode.reply === "html" && page >= (mode.fromPage ?? 1)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end("<!DOCTYPE html><html><head><title>系统维护</title></head><body><h1>系统维护中</h1><p>请稍后再试</p></body></html>");
        return;
      }
      if (mode.reply === "nolist") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ success: true, errorCode: "", errorDesc: "", total: SHOPS }));
        return;
      }
      const r = await fetch(new URL(req.url ?? "/", target), { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
      res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    mode,
    hits: () => hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("an incremental scheme whose source answers unreadable replies (SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let flowId: string;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
    proxy = await startProxy(sims.guanyi.url);
    // the sandbox's Guanyi connection goes through the proxy
    await t.db.connection.updateMany({ where: { vendor: "guanyi", sandbox: true }, data: { baseUrl: proxy.url } });
    flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
      (d.settings as Record<string, unknown>).incremental = { enabled: true, overlapSec: 300, initialLookbackSec: 30 * 86400 };
      // fast retries so the failing runs end quickly (the connector's policy is the only one)
      (d.settings as Record<string, unknown>).retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 };
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await sims?.close();
    await t?.drop();
  });

  it("a good run sets the watermark; an HTML reply fails the next run with the message and the watermark stays", async () => {
    const first = await executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
    expect(first.status).toBe("succeeded");
    const wm = await t.db.watermark.findUnique({ where: { flowId } });
    expect(wm).toBeTruthy();
    const docsBefore = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");

    proxy.mode.reply = "html";
    const hitsBefore = proxy.hits();
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    expect(s.status).toBe("failed");
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.error).toContain("管易云返回了无法识别的内容（HTML 页面，HTTP 200，guanyi.gy.erp.shop.get）：系统维护 系统维护中 请稍后再试");
    expect(run?.error).not.toMatch(/[<>]/);
    expect(run?.countRead).toBe(0);
    expect(run?.countWritten).toBe(0);
    expect(proxy.hits() - hitsBefore).toBeGreaterThanOrEqual(2); // retried before giving up
    // the window was not skipped
    const after = await t.db.watermark.findUnique({ where: { flowId } });
    expect(after?.lastSyncAt.getTime()).toBe(wm!.lastSyncAt.getTime());
    expect(after?.lastRunId).toBe(wm!.lastRunId);
    expect((await kingdeeDocuments(sims.kingdee.url, "BD_Customer")).count).toBe(docsBefore.count);
  });

  it("a success without the list key fails the run too, watermark unchanged; the next good run reads the same window", async () => {
    const wm = await t.db.watermark.findUnique({ where: { flowId } });
    proxy.mode.reply = "nolist";
    const failedId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, failedId);
    expect(s.status).toBe("failed");
    expect((await t.db.run.findUnique({ where: { id: failedId } }))?.error).toContain("管易云返回的内容缺少记录列表 shops（HTTP 200");
    expect((await t.db.watermark.findUnique({ where: { flowId } }))?.lastSyncAt.getTime()).toBe(wm!.lastSyncAt.getTime());

    proxy.mode.reply = "pass";
    const okId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const ok = await executeRun(t.db, okId);
    expect(ok.status).toBe("succeeded");
    const okRun = await t.db.run.findUnique({ where: { id: okId } });
    // the window starts at the last good watermark (minus overlap), not after the failed runs
    expect(okRun?.windowStart?.getTime()).toBe(wm!.lastSyncAt.getTime() - 300_000);
    expect((await t.db.watermark.findUnique({ where: { flowId } }))?.lastRunId).toBe(okId);
  });

  it("a read that fails after some pages were written does not move the watermark either", async () => {
    const wm = await t.db.watermark.findUnique({ where: { flowId } });
    proxy.mode.reply = "html";
    proxy.mode.fromPage = 2;
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, runId);
    proxy.mode.reply = "pass";
    proxy.mode.fromPage = undefined;
    const run = await t.db.run.findUnique({ where: { id: runId } });
    expect(run?.error).toContain("管易云返回了无法识别的内容（HTML 页面");
    expect(s.status).not.toBe("succeeded");
    const after = await t.db.watermark.findUnique({ where: { flowId } });
    expect(after?.lastRunId).toBe(wm!.lastRunId);
    expect(after?.lastSyncAt.getTime()).toBe(wm!.lastSyncAt.getTime());
  });
});
