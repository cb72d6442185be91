import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKingdeeSimulator } from "@/server/testing/simulators/kingdee";
import { ConnectorError, createSourceReader, createTargetWriter, runOperation, testConnection } from "../../index";
import { clearAuthCache } from "../../runtime/auth";
import { captureObserver, FAST_RETRY, simConfig, simReset, simState } from "../../testing/sim-helpers";
import type { ConnectionConfig, SourcePage } from "../../types";

type Handle = Awaited<ReturnType<typeof startKingdeeSimulator>>;
let sim: Handle;
let conn: ConnectionConfig;

const customer = (i: number, extra: Record<string, unknown> = {}) => ({
  FNumber: `CUST${String(i).padStart(4, "0")}`,
  FName: `客户${i}`,
  FCreateOrgId: { FNumber: "100" },
  FUseOrgId: { FNumber: "100" },
  ...extra,
});

beforeAll(async () => {
  sim = await startKingdeeSimulator();
  const c = sim.credentials;
  conn = {
    vendor: "kingdee",
    baseUrl: `${sim.url}/k3cloud/`,
    sandbox: true,
    settings: { acctId: c.acctId, username: c.username, lcid: c.lcid, appId: c.appId, orgNum: c.orgNum },
    secrets: { password: c.password, appSecret: c.appSecret },
  };
});
afterAll(async () => sim.close());
beforeEach(async () => {
  clearAuthCache();
  await simReset(sim.url, { qps: 0, sessionTtlSec: 1800, rowFailureRate: 0 });
});

async function seed(n: number, c = conn) {
  const w = createTargetWriter(c, "kingdee.BatchSave", { formId: "BD_Customer", batchSize: 100 });
  const out = await w.writeBatch(Array.from({ length: n }, (_, i) => customer(i + 1)));
  expect(out.every((o) => o.status === "written")).toBe(true);
}

async function query(options: Record<string, unknown>, c = conn, pauseAfterFirstMs = 0, pagesInFlight?: number) {
  const observer = captureObserver();
  const pages: SourcePage[] = [];
  for await (const p of createSourceReader(c, "kingdee.ExecuteBillQuery", { formId: "BD_Customer", fieldKeys: ["FCUSTID", "FNumber", "FName"], orderString: "FCUSTID ASC", retry: FAST_RETRY, ...options }, { observer }).read({ params: {}, pagesInFlight })) {
    pages.push(p);
    if (pages.length === 1 && pauseAfterFirstMs) await new Promise((r) => setTimeout(r, pauseAfterFirstMs));
  }
  return { pages, observer };
}

describe("Kingdee source (ExecuteBillQuery, OffsetIncrement) over HTTP", () => {
  it("reads rows as objects keyed by FieldKeys, page by page, to a short last page", async () => {
    await seed(25);
    const { pages } = await query({ pageSize: 10 });
    expect(pages.map((p) => p.records.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.state)).toEqual([{ offset: 0 }, { offset: 10 }, { offset: 20 }]);
    expect(pages[0].records[0]).toMatchObject({ FNumber: "CUST0001", FName: "客户1" });
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.FNumber))).size).toBe(25);
  });

  it("asks once more after an exactly full last page, and handles an empty first page", async () => {
    await seed(20);
    const full = await query({ pageSize: 10 });
    expect(full.pages.map((p) => p.records.length)).toEqual([10, 10, 0]);
    const none = await query({ pageSize: 10, filterString: "FNumber = 'NOPE'" });
    expect(none.pages.map((p) => p.records.length)).toEqual([0]);
  });

  it("with pages in flight: row offsets requested ahead, pages in order, the guesses past a short page dropped", async () => {
    await seed(25);
    await simConfig(sim.url, { latencyMs: 30 });
    const { pages } = await query({ pageSize: 10 }, conn, 0, 3);
    expect(pages.map((p) => p.state)).toEqual([{ offset: 0 }, { offset: 10 }, { offset: 20 }]);
    expect(pages.map((p) => p.records.length)).toEqual([10, 10, 5]);
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.FNumber))).size).toBe(25);
    const st = await simState(sim.url);
    expect(st.maxInFlight).toBe(3);
    // no total in Kingdee's answer: up to two pages past the short one were asked for, and dropped
    expect(st.requests.ExecuteBillQuery).toBeLessThanOrEqual(5);
  });

  it("fails a bad field key as a configuration error with Kingdee's text", async () => {
    const err = (await query({ fieldKeys: "FNumber,FNoSuchField" }).catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.failureType).toBe("config");
    expect(err.vendorCode).toBe("9");
    expect(err.message).toContain("金蝶云星空查询失败");
    const form = (await query({ formId: "BD_Nope" }).catch((e: unknown) => e)) as ConnectorError;
    expect(form.message).toContain("业务对象（表单 ID）不存在");
  });

  it("re-logs in once when the session is lost mid-run (idle expiry)", async () => {
    await seed(25);
    await simConfig(sim.url, { sessionTtlSec: 1 });
    const { pages, observer } = await query({ pageSize: 5 }, conn, 1300);
    expect(pages.flatMap((p) => p.records)).toHaveLength(25);
    const st = await simState(sim.url);
    expect(st.requests.ValidateUser).toBe(2);
    expect(observer.retries.filter((r) => r.reason.includes("刷新凭据"))).toHaveLength(1);
  });

  it("re-logs in on an injected MsgCode 1, and backs off on MsgCode 14 (call limit)", async () => {
    await seed(5);
    await simConfig(sim.url, { failNext: [{ method: "ExecuteBillQuery", vendorError: "sessionLost" }, { method: "ExecuteBillQuery", vendorError: "callLimit" }] });
    const { pages, observer } = await query({ pageSize: 10 });
    expect(pages[0].records).toHaveLength(5);
    expect((await simState(sim.url)).requests.ValidateUser).toBe(2);
    expect(observer.retries.map((r) => r.rateLimited)).toEqual([false, true]);
  });

  it("fails fast on a wrong password: one login, no query, no secret in the error", async () => {
    const bad = { ...conn, secrets: { ...conn.secrets, password: "Wrong#Pass123" } };
    const observer = captureObserver();
    const err = await (async () => {
      for await (const p of createSourceReader(bad, "kingdee.ExecuteBillQuery", { formId: "BD_Customer", fieldKeys: "FNumber" }, { observer }).read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    const ce = err as ConnectorError;
    expect(ce.failureType).toBe("config");
    expect(ce.message).toMatch(/^金蝶云星空登录失败：请检查数据中心 ID（acctId）\/ 用户名 \/ 密码（金蝶返回：用户名或密码错误！）/);
    const st = await simState(sim.url);
    expect(st.requests.ValidateUser).toBe(1);
    expect(st.requests.ExecuteBillQuery ?? 0).toBe(0);
    expect(observer.dump() + JSON.stringify(ce.toJSON())).not.toContain("Wrong#Pass123");
  });

  it("logs in with LoginByAppSecret and LoginBySign, and works with signature headers only", async () => {
    await seed(3);
    for (const authMode of ["LoginByAppSecret", "LoginBySign", "Signature"]) {
      clearAuthCache();
      const { pages } = await query({}, { ...conn, settings: { ...conn.settings, authMode } });
      expect(pages[0].records).toHaveLength(3);
    }
    const st = await simState(sim.url);
    expect(st.requests).toMatchObject({ LoginByAppSecret: 1, LoginBySign: 1 });
  });

  it("signature mode: wrong app secret is refused after one session retry; wrong acctId fails as configuration", async () => {
    const bad = { ...conn, settings: { ...conn.settings, authMode: "Signature" }, secrets: { ...conn.secrets, appSecret: "0".repeat(32) } };
    const err = (await query({}, bad).catch((e: unknown) => e)) as ConnectorError;
    expect(err.failureType).toBe("config");
    expect(err.message).toContain("会话信息已丢失");
    expect((await simState(sim.url)).requests.ExecuteBillQuery).toBe(2);
    const acct = (await query({}, { ...conn, settings: { ...conn.settings, authMode: "Signature", acctId: "nope" } }).catch((e: unknown) => e)) as ConnectorError;
    expect(acct.failureType).toBe("config");
    expect(acct.message).toContain("acctId");
  });
});

describe("Kingdee target (BatchSave / Save) over HTTP", () => {
  it("returns one outcome per row; bad rows fail by DIndex with Kingdee's field and message", async () => {
    await seed(2);
    const observer = captureObserver();
    const w = createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer" }, { observer });
    expect(w.businessKeyField).toBe("FNumber");
    expect(w.idField).toBe("FCUSTID");
    const docs = [customer(10), customer(1), { FNumber: "CUST0011", FCreateOrgId: { FNumber: "100" } }, customer(12)];
    const out = await w.writeBatch(docs);
    expect(out.map((o) => o.status)).toEqual(["written", "failed", "failed", "written"]);
    expect(out[0]).toMatchObject({ targetNumber: "CUST0010" });
    expect(out[0].status === "written" && Number(out[0].targetId)).toBeGreaterThan(0);
    expect(out[1]).toMatchObject({ retryable: false });
    expect(out[2]).toMatchObject({ retryable: false });
    expect(out[2].status === "failed" && out[2].field).toBe("FName");
    const docsNow = (await (await fetch(`${sim.url}/__sandbox/documents?formId=BD_Customer`)).json()) as { count: number; duplicates: number };
    expect(docsNow).toMatchObject({ count: 4, duplicates: 0 });
  });

  it("Save writes one document per call", async () => {
    const w = createTargetWriter(conn, "kingdee.Save", { formId: "BD_Customer" });
    const out = await w.writeBatch([customer(1), customer(2)]);
    expect(out.map((o) => o.status)).toEqual(["written", "written"]);
    expect((await simState(sim.url)).requests.Save).toBe(2);
  });

  it("a whole-batch transient failure marks every row failed + retryable (engine owns write retries)", async () => {
    await simConfig(sim.url, { failNext: [{ method: "BatchSave", status: 502 }] });
    const w = createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer", retry: { maxAttempts: 1 } });
    const out = await w.writeBatch([customer(1), customer(2)]);
    expect(out).toHaveLength(2);
    for (const o of out) expect(o).toMatchObject({ status: "failed", retryable: true });
    expect(out[0].status === "failed" && out[0].message).toContain("HTTP 502");
  });

  it("a dropped connection is retried by default and the batch lands once", async () => {
    await simConfig(sim.url, { failNext: [{ method: "BatchSave", drop: true }] });
    const w = createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer", retry: FAST_RETRY });
    const out = await w.writeBatch([customer(1), customer(2)]);
    expect(out.map((o) => o.status)).toEqual(["written", "written"]);
  });

  it("auth failures throw ConnectorError instead of returning rows", async () => {
    const w = createTargetWriter({ ...conn, secrets: { ...conn.secrets, password: "bad-pass-1" } }, "kingdee.BatchSave", { formId: "BD_Customer" });
    await expect(w.writeBatch([customer(1)])).rejects.toMatchObject({ name: "ConnectorError", failureType: "config" });
  });

  it("looks documents up by business key in IN-chunks (found keys only)", async () => {
    await seed(250);
    const w = createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer" });
    const keys = [...Array.from({ length: 250 }, (_, i) => `CUST${String(i + 1).padStart(4, "0")}`), "CUST9999", "O'Brien"];
    const found = await w.lookupByKeys(keys);
    expect(found.size).toBe(250);
    expect(found.get("CUST0001")?.targetId).toMatch(/^\d+$/);
    expect(found.has("CUST9999")).toBe(false);
    expect((await simState(sim.url)).requests.ExecuteBillQuery).toBe(2); // 200 + 52 keys
  });

  it("submits, audits and views documents", async () => {
    await seed(2);
    await runOperation(conn, "kingdee.Submit", { formId: "BD_Customer", numbers: ["CUST0001", "CUST0002"] });
    await runOperation(conn, "kingdee.Audit", { formId: "BD_Customer", numbers: ["CUST0001"] });
    const view = (await runOperation(conn, "kingdee.View", { formId: "BD_Customer", number: "CUST0001" })) as { Result: { ResponseStatus: { IsSuccess: boolean } } };
    expect(view.Result.ResponseStatus.IsSuccess).toBe(true);
    await expect(runOperation(conn, "kingdee.Audit", { formId: "BD_Customer", numbers: ["CUST0001"] })).rejects.toMatchObject({ failureType: "data" });
  });

  it("reports and errors carry no password, app secret or session id", async () => {
    const observer = captureObserver();
    const w = createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer" }, { observer });
    await w.writeBatch([customer(1)]);
    const login = await fetch(`${conn.baseUrl}Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc`, {
      method: "POST",
      body: JSON.stringify({ parameters: [conn.settings.acctId, conn.settings.username, conn.secrets.password, 2052] }),
    });
    const sid = ((await login.json()) as { KDSVCSessionId: string }).KDSVCSessionId;
    const dump = observer.dump();
    for (const s of [conn.secrets.password, conn.secrets.appSecret, sid]) expect(dump).not.toContain(s);
  });

  it("tests a connection", async () => {
    await expect(testConnection({ ...conn, baseUrl: sim.url })).resolves.toMatchObject({ ok: false, failureType: "config", message: expect.stringContaining("/k3cloud/") });
    await expect(testConnection(conn)).resolves.toMatchObject({ ok: true });
    await expect(testConnection({ ...conn, secrets: { ...conn.secrets, password: "x-bad-1" } })).resolves.toMatchObject({ ok: false, failureType: "config" });
  });
});
