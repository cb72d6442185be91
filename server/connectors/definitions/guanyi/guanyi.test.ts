import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGuanyiSimulator } from "@/server/testing/simulators/guanyi";
import { ConnectorError, createSourceReader, testConnection } from "../../index";
import { clearAuthCache } from "../../runtime/auth";
import { captureObserver, FAST_RETRY, simConfig, simReset, simState } from "../../testing/sim-helpers";
import type { ConnectionConfig, SourcePage } from "../../types";

type Handle = Awaited<ReturnType<typeof startGuanyiSimulator>>;
let sim: Handle;
let conn: ConnectionConfig;

beforeAll(async () => {
  sim = await startGuanyiSimulator({ config: { shops: 25 } });
  conn = {
    vendor: "guanyi",
    baseUrl: sim.url,
    sandbox: true,
    settings: { appkey: sim.credentials.appkey },
    secrets: { sessionkey: sim.credentials.sessionkey, secret: sim.credentials.secret },
  };
});
afterAll(async () => sim.close());
beforeEach(async () => {
  clearAuthCache();
  await simReset(sim.url, { shops: 25, qps: 0 });
});

async function readAll(apiId: string, options: Record<string, unknown>, c = conn, params: Record<string, unknown> = {}, resumeFrom?: Record<string, unknown>, pagesInFlight?: number) {
  const observer = captureObserver();
  const pages: SourcePage[] = [];
  for await (const p of createSourceReader(c, apiId, options, { observer }).read({ params, resumeFrom, pagesInFlight })) pages.push(p);
  return { pages, observer };
}

describe("Guanyi source over HTTP (PageIncrement)", () => {
  it("reads every page to the end, with resumable states and the vendor total", async () => {
    const { pages } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 10 });
    expect(pages.map((p) => p.records.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.state)).toEqual([{ page: 1 }, { page: 2 }, { page: 3 }]);
    expect(pages.map((p) => p.next)).toEqual([{ page: 2 }, { page: 3 }, null]);
    expect(pages[0].total).toBe(25);
    const codes = pages.flatMap((p) => p.records.map((r) => r.code));
    expect(new Set(codes).size).toBe(25);
  });

  it("stops after an exactly full last page without an extra request (total reached)", async () => {
    await simConfig(sim.url, { shops: 20 });
    const { pages } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 10 });
    expect(pages.map((p) => p.records.length)).toEqual([10, 10]);
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(2);
  });

  it("with pages in flight: the same pages in order, requested ahead, none past the reported total", async () => {
    await simConfig(sim.url, { latencyMs: 30 });
    const { pages } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 5 }, conn, {}, undefined, 3);
    expect(pages.map((p) => p.state)).toEqual([1, 2, 3, 4, 5].map((page) => ({ page })));
    expect(pages.map((p) => p.next)).toEqual([{ page: 2 }, { page: 3 }, { page: 4 }, { page: 5 }, null]);
    expect(pages.map((p) => p.pageIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.code))).size).toBe(25);
    const st = await simState(sim.url);
    expect(st.maxInFlight).toBe(3);
    expect(st.requests["gy.erp.shop.get"]).toBe(5); // the total (25) stops the requests ahead at page 5

    // resumed from a checkpoint, ahead from there
    const resumed = await readAll("guanyi.gy.erp.shop.get", { pageSize: 5 }, conn, {}, { page: 4 }, 3);
    expect(resumed.pages.map((p) => p.state)).toEqual([{ page: 4 }, { page: 5 }]);
    expect(resumed.pages.flatMap((p) => p.records)).toHaveLength(10);
  });

  it("without read-ahead (pagesInFlight 0) the next page is requested only when asked for", async () => {
    const reader = createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 5 }).read({ params: {}, pagesInFlight: 0 });
    const it = reader[Symbol.asyncIterator]();
    expect((await it.next()).value?.records).toHaveLength(5);
    await new Promise((r) => setTimeout(r, 100));
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(1);
    expect((await it.next()).value?.state).toEqual({ page: 2 });
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(2);
    await it.return?.(undefined);
    // the default reads one page ahead
    const ahead = createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 5 }).read({ params: {} })[Symbol.asyncIterator]();
    await ahead.next();
    await new Promise((r) => setTimeout(r, 100));
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(4);
    await ahead.return?.(undefined);
  });

  it("with pages in flight and a transient failure on a page ahead: retried, nothing lost or repeated", async () => {
    await simConfig(sim.url, { failNext: [{ method: "gy.erp.shop.get", status: 503 }] });
    const { pages, observer } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 5, retry: FAST_RETRY }, conn, {}, undefined, 4);
    expect(pages.map((p) => p.records.length)).toEqual([5, 5, 5, 5, 5]);
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.code))).size).toBe(25);
    expect(observer.retries).toHaveLength(1);
  });

  it("yields one empty page when there is nothing to read", async () => {
    await simConfig(sim.url, { shops: 0 });
    const { pages } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 10 });
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ pageIndex: 0, records: [], next: null, total: 0 });
  });

  it("resumes from a checkpoint and passes business params (vips by code)", async () => {
    const { pages } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 10 }, conn, {}, { page: 3 });
    expect(pages.map((p) => p.records.length)).toEqual([5]);
    const one = await readAll("guanyi.gy.erp.shop.get", { pageSize: 10, params: { code: pages[0].records[0].code } });
    expect(one.pages[0].records).toHaveLength(1);
  });

  it("reads vips, items and trades with their list keys", async () => {
    await simConfig(sim.url, { vips: 7, items: 3, trades: 4 });
    for (const [api, n] of [["guanyi.gy.erp.vip.get", 7], ["guanyi.gy.erp.items.get", 3], ["guanyi.gy.erp.trade.get", 4]] as const) {
      const { pages } = await readAll(api, { pageSize: 5 });
      expect(pages.flatMap((p) => p.records)).toHaveLength(n);
    }
  });

  it("backs off on the vendor's rate-limit code, then succeeds", async () => {
    await simConfig(sim.url, { failNext: [{ method: "gy.erp.shop.get", vendorError: "rateLimit" }, { method: "gy.erp.shop.get", vendorError: "busy" }] });
    const { pages, observer } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 100, retry: FAST_RETRY });
    expect(pages[0].records).toHaveLength(25);
    expect(observer.retries.map((r) => r.rateLimited)).toEqual([true, false]);
    expect(observer.calls.find((c) => c.apiAsset === "guanyi.gy.erp.shop.get")).toMatchObject({ ok: true, retries: 2 });
  });

  it("keeps under a vendor QPS limit with a node rate budget (no api.limited provoked)", async () => {
    await simConfig(sim.url, { qps: 5 });
    const { pages } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 2, rateLimit: { perSecond: 5 }, retry: FAST_RETRY });
    expect(pages).toHaveLength(13);
    const st = await simState(sim.url);
    expect(st.faults.rateLimited).toBe(0);
  });

  it("retries 5xx and dropped connections, then succeeds", async () => {
    await simConfig(sim.url, { failNext: [{ status: 502 }, { drop: true }] });
    const { pages, observer } = await readAll("guanyi.gy.erp.shop.get", { pageSize: 100, retry: FAST_RETRY });
    expect(pages[0].records).toHaveLength(25);
    expect(observer.retries).toHaveLength(2);
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(3);
  });

  it("gives up after max attempts with a clear transient error", async () => {
    await simConfig(sim.url, { failNext: [{ status: 500 }, { drop: true }, { status: 502 }, { status: 502 }] });
    const err = await readAll("guanyi.gy.erp.shop.get", { pageSize: 100, retry: FAST_RETRY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    const ce = err as ConnectorError;
    expect(ce.failureType).toBe("transient");
    expect(ce.httpStatus).toBe(502);
    expect(ce.apiAsset).toBe("guanyi.gy.erp.shop.get");
    expect(ce.page).toEqual({ page: 1 });
    expect(ce.message).toMatch(/^管易云接口不可用：HTTP 502（网关错误），已尝试 3 次（guanyi.gy.erp.shop.get）$/);
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(3);
  });

  it("fails fast on wrong credentials, without retrying, and leaks no secret", async () => {
    const bad = { ...conn, secrets: { ...conn.secrets, secret: "0000wrongsecret0000" } };
    const observer = captureObserver();
    const err = await (async () => {
      for await (const p of createSourceReader(bad, "guanyi.gy.erp.shop.get", { pageSize: 10 }, { observer }).read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    const ce = err as ConnectorError;
    expect(ce.failureType).toBe("config");
    expect(ce.vendorCode).toBe("invalid.sign");
    expect(ce.message).toContain("管易云签名校验失败：请检查 appkey / secret / sessionkey");
    expect(ce.message).toContain("签名验证失败");
    expect((await simState(sim.url)).requests["gy.erp.shop.get"]).toBe(1);
    const everything = observer.dump() + JSON.stringify(ce.toJSON()) + ce.message + String(ce.stack);
    for (const s of [bad.secrets.secret, conn.secrets.sessionkey]) expect(everything).not.toContain(s);
  });

  it("rejects bad node options with the path to the field", async () => {
    expect(() => createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 500 })).toThrow(/pageSize/);
    expect(() => createSourceReader({ ...conn, vendor: "kingdee" }, "guanyi.gy.erp.shop.get", {})).toThrow(ConnectorError);
  });

  it("stops cleanly when the consumer breaks early or the run is aborted", async () => {
    await simConfig(sim.url, { latencyMs: 300 });
    for await (const p of createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 5 }).read({ params: {} })) {
      expect(p.records).toHaveLength(5);
      break; // the prefetched next page is abandoned without an unhandled rejection
    }
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("run cancelled")), 30);
    const t0 = Date.now();
    const err = await (async () => {
      for await (const p of createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 5 }, { signal: ac.signal }).read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect((err as Error).message).toBe("run cancelled");
    expect(Date.now() - t0).toBeLessThan(600); // a full read would take ≥ 1.5 s
  });

  it("tests a connection with one cheap call", async () => {
    await expect(testConnection(conn)).resolves.toMatchObject({ ok: true });
    const r = await testConnection({ ...conn, secrets: { ...conn.secrets, sessionkey: "nope-nope" } });
    expect(r).toMatchObject({ ok: false, failureType: "config" });
  });
});
