import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDingtalkSimulator } from "@/server/testing/simulators/dingtalk";
import { ConnectorError, createSourceReader, testConnection } from "../../index";
import { clearAuthCache } from "../../runtime/auth";
import { captureObserver, FAST_RETRY, simConfig, simReset, simState } from "../../testing/sim-helpers";
import type { ConnectionConfig, SourcePage } from "../../types";

type Handle = Awaited<ReturnType<typeof startDingtalkSimulator>>;
let sim: Handle;
let conn: ConnectionConfig;
let processCode: string;

const params = () => ({ start_time: 0, end_time: Date.now() });

beforeAll(async () => {
  sim = await startDingtalkSimulator({ config: { approvals: 90, maxSpanDays: 0 } });
  conn = { vendor: "dingtalk", baseUrl: sim.url, sandbox: true, settings: { appkey: sim.credentials.appkey }, secrets: { appsecret: sim.credentials.appsecret } };
  const st = await simState(sim.url);
  processCode = (st.processCodes as { process_code: string }[])[0].process_code;
});
afterAll(async () => sim.close());
beforeEach(async () => {
  clearAuthCache();
  // most tests are not about the 20 req/s budget: no vendor limit and a loose budget keep them fast
  await simReset(sim.url, { approvals: 90, maxSpanDays: 0, qps: 0, sessionTtlSec: 7200 });
});

const LOOSE = { rateLimit: { perSecond: 1000 }, detailRateLimit: { perSecond: 1000 } };

async function readAll(options: Record<string, unknown>, c = conn, p: Record<string, unknown> = params()) {
  const observer = captureObserver();
  const pages: SourcePage[] = [];
  for await (const page of createSourceReader(c, "dingtalk.processinstance", { processCode, retry: FAST_RETRY, ...LOOSE, ...options }, { observer }).read({ params: p })) pages.push(page);
  return { pages, observer };
}

describe("DingTalk approvals source over HTTP (CursorPagination + detail fetch)", () => {
  it("pages ids by cursor to the end and fetches every instance within the vendor's 20 req/s", async () => {
    await simConfig(sim.url, { qps: 20 });
    const { pages, observer } = await readAll({ rateLimit: undefined, detailRateLimit: undefined });
    expect(pages.map((p) => p.records.length)).toEqual([20, 20, 5]);
    expect(pages.map((p) => p.state)).toEqual([{ cursor: 0 }, { cursor: 20 }, { cursor: 40 }]);
    expect(pages.at(-1)?.next).toBeNull();
    const recs = pages.flatMap((p) => p.records);
    expect(new Set(recs.map((r) => r.process_instance_id)).size).toBe(45);
    expect(recs[0]).toHaveProperty("business_id");
    expect(recs[0]).toHaveProperty("form_component_values");
    const st = await simState(sim.url);
    expect(st.requests).toMatchObject({ gettoken: 1, "topapi/processinstance/listids": 3, "topapi/processinstance/get": 45 });
    expect(st.faults.rateLimited).toBe(0);
    expect(observer.calls.filter((c) => c.apiAsset === "dingtalk.processinstance.get")).toHaveLength(45);
  });

  it("stops after an exactly full last page (next_cursor absent) and handles an empty first page", async () => {
    await simConfig(sim.url, { approvals: 80 });
    const full = await readAll({});
    expect(full.pages.map((p) => p.records.length)).toEqual([20, 20]);
    expect((await simState(sim.url)).requests["topapi/processinstance/listids"]).toBe(2);
    const empty = await readAll({}, conn, { start_time: Date.now() + 86_400_000, end_time: Date.now() + 2 * 86_400_000 });
    expect(empty.pages).toHaveLength(1);
    expect(empty.pages[0]).toMatchObject({ records: [], next: null });
  });

  it("resumes from a cursor checkpoint", async () => {
    const { pages } = await readAll({}, conn, params());
    const resumed: SourcePage[] = [];
    for await (const p of createSourceReader(conn, "dingtalk.processinstance", { processCode }).read({ params: params(), resumeFrom: pages[1].state })) resumed.push(p);
    expect(resumed.map((p) => p.records.length)).toEqual([20, 5]);
    expect(resumed[0].records.map((r) => r.process_instance_id)).toEqual(pages[1].records.map((r) => r.process_instance_id));
  });

  it("backs off on 90018 and -1, then succeeds", async () => {
    await simConfig(sim.url, { failNext: [{ method: "topapi/processinstance/get", vendorError: "qps" }, { method: "topapi/processinstance/listids", vendorError: "busy" }] });
    const { pages, observer } = await readAll({});
    expect(pages.flatMap((p) => p.records)).toHaveLength(45);
    expect(observer.retries.filter((r) => r.rateLimited)).toHaveLength(1);
    expect(observer.retries.filter((r) => !r.rateLimited)).toHaveLength(1);
  });

  it("refreshes the token once when a call answers 42001 mid-run and replays it", async () => {
    await simConfig(sim.url, { failNext: [{ method: "topapi/processinstance/get", vendorError: "tokenExpired" }] });
    const { pages, observer } = await readAll({});
    expect(pages.flatMap((p) => p.records)).toHaveLength(45);
    expect((await simState(sim.url)).requests.gettoken).toBe(2);
    expect(observer.retries.filter((r) => /42001/.test(r.reason))).toHaveLength(1);
  });

  it("survives real token expiry during a run (short token lifetime)", async () => {
    await simConfig(sim.url, { sessionTtlSec: 1, approvals: 60 });
    const { pages } = await readAll({ rateLimit: undefined, detailRateLimit: undefined }); // ~1.6 s at 19/s
    expect(pages.flatMap((p) => p.records)).toHaveLength(30);
    const st = await simState(sim.url);
    expect(st.requests.gettoken).toBeGreaterThanOrEqual(2);
  });

  it("fails fast on a wrong appsecret (one gettoken, no listids) and on missing permission", async () => {
    const bad = { ...conn, secrets: { appsecret: "wrong-secret-value-123" } };
    const err = (await readAll({}, bad).catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.failureType).toBe("config");
    expect(err.vendorCode).toBe("40089");
    expect(err.message).toMatch(/^钉钉获取 access_token 失败：请检查 AppKey \/ AppSecret/);
    let st = await simState(sim.url);
    expect(st.requests.gettoken).toBe(1);
    expect(st.requests["topapi/processinstance/listids"] ?? 0).toBe(0);
    expect(JSON.stringify(err) + err.message).not.toContain("wrong-secret-value-123");

    await simConfig(sim.url, { failNext: [{ method: "topapi/processinstance/listids", vendorError: "permission" }] });
    const perm = (await readAll({}).catch((e: unknown) => e)) as ConnectorError;
    expect(perm.failureType).toBe("config");
    expect(perm.message).toContain("没有调用该接口的权限");
    st = await simState(sim.url);
    expect(st.requests["topapi/processinstance/listids"]).toBe(1);
  });

  it("gives up on repeated 5xx with a transient error naming the page", async () => {
    await simConfig(sim.url, { failNext: [1, 2, 3].map(() => ({ method: "topapi/processinstance/listids", status: 503 })) });
    const err = (await readAll({}).catch((e: unknown) => e)) as ConnectorError;
    expect(err.failureType).toBe("transient");
    expect(err.page).toEqual({ cursor: 0 });
    expect(err.message).toContain("钉钉接口不可用：HTTP 503（服务不可用），已尝试 3 次");
  });

  it("reports no secret: appsecret and access_token never appear in reports or errors", async () => {
    const { observer } = await readAll({ pageSize: 5 }, conn, params());
    const tok = (await (await fetch(`${sim.url}/gettoken?appkey=${conn.settings.appkey}&appsecret=${conn.secrets.appsecret}`)).json()) as { access_token: string };
    const dump = observer.dump();
    expect(dump).not.toContain(tok.access_token);
    expect(dump).not.toContain(conn.secrets.appsecret);
  });

  it("tests a connection by fetching a token", async () => {
    await expect(testConnection(conn)).resolves.toMatchObject({ ok: true });
    await expect(testConnection({ ...conn, secrets: { appsecret: "x-wrong" } })).resolves.toMatchObject({ ok: false, failureType: "config" });
  });
});
