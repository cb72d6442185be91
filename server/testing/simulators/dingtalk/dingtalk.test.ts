/**
 * Protocol tests of the DingTalk simulator over real HTTP: tokens, cursor paging, instance
 * detail shape, limits and faults.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../common/core";
import { startDingtalkSimulator } from "./index";

let sim: SimulatorHandle;
const ANCHOR = "2026-03-01T00:00:00Z";
const anchorMs = Date.parse(ANCHOR);
const DAY = 86_400_000;

type Json = Record<string, unknown> & { errcode: number };

async function get(path: string): Promise<Json> {
  return (await (await fetch(`${sim.url}${path}`)).json()) as Json;
}
async function post(path: string, body: unknown, raw?: string): Promise<Json> {
  const res = await fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: raw ?? JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}
async function sandbox(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/__sandbox/${path}`, {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}
async function token(): Promise<string> {
  const c = sim.credentials;
  const r = await get(`/gettoken?appkey=${encodeURIComponent(c.appkey)}&appsecret=${encodeURIComponent(c.appsecret)}`);
  expect(r.errcode).toBe(0);
  return r.access_token as string;
}
async function processCodes(): Promise<{ process_code: string; name: string; instances: number; completedAgree: number }[]> {
  return (await sandbox("state")).processCodes as never;
}
async function listAll(tk: string, code: string, start: number, end: number, size = 20): Promise<string[]> {
  const ids: string[] = [];
  let cursor = 0;
  for (;;) {
    const r = await post(`/topapi/processinstance/listids?access_token=${encodeURIComponent(tk)}`, {
      process_code: code,
      start_time: start,
      end_time: end,
      size,
      cursor,
    });
    expect(r.errcode).toBe(0);
    const result = r.result as { list: string[]; next_cursor?: number };
    ids.push(...result.list);
    if (result.next_cursor === undefined) break;
    cursor = result.next_cursor;
  }
  return ids;
}

beforeAll(async () => {
  sim = await startDingtalkSimulator({ port: 0, config: { approvals: 130, seed: 42, anchor: ANCHOR } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await sandbox("reset", { sessionTtlSec: 7200, qps: 0, latencyMs: 0 });
});

describe("dingtalk: tokens", () => {
  it("issues a token with expires_in 7200 and returns the same one while valid", async () => {
    const c = sim.credentials;
    const a = await get(`/gettoken?appkey=${c.appkey}&appsecret=${c.appsecret}`);
    expect(a).toMatchObject({ errcode: 0, errmsg: "ok", expires_in: 7200 });
    expect(typeof a.access_token).toBe("string");
    const b = await get(`/gettoken?corpid=${c.appkey}&corpsecret=${c.appsecret}`);
    expect(b.access_token).toBe(a.access_token);
  });

  it("bad appkey/appsecret → non-zero errcode", async () => {
    const r = await get(`/gettoken?appkey=${sim.credentials.appkey}&appsecret=wrong`);
    expect(r.errcode).not.toBe(0);
    expect(r.access_token).toBeUndefined();
    expect((await get(`/gettoken`)).errcode).not.toBe(0);
  });

  it("unknown/missing token → 40014; expired → 42001; a fresh gettoken renews", async () => {
    const body = { process_instance_id: "x" };
    expect((await post(`/topapi/processinstance/get?access_token=nope`, body)).errcode).toBe(40014);
    expect((await post(`/topapi/processinstance/get`, body)).errcode).toBe(40014);
    await sandbox("config", { sessionTtlSec: 1 });
    const tk = await token();
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await post(`/topapi/processinstance/listids?access_token=${tk}`, { process_code: "x", start_time: 0 });
    expect(expired.errcode).toBe(42001);
    const tk2 = await token();
    expect(tk2).not.toBe(tk);
    const [pc] = await processCodes();
    const ok = await post(`/topapi/processinstance/listids?access_token=${tk2}`, {
      process_code: pc.process_code,
      start_time: anchorMs - 60 * DAY,
      end_time: anchorMs,
    });
    expect(ok.errcode).toBe(0);
  });
});

describe("dingtalk: listids and get", () => {
  it("pages by cursor to the end; next_cursor absent on the last page; seeded in the last 90 days", async () => {
    const tk = await token();
    const codes = await processCodes();
    expect(codes.length).toBeGreaterThanOrEqual(1);
    expect(codes[0].name).toBe("备用金申请");
    const ids = await listAll(tk, codes[0].process_code, anchorMs - 100 * DAY, anchorMs);
    expect(ids.length).toBe(codes[0].instances);
    expect(new Set(ids).size).toBe(ids.length);
    const small = await listAll(tk, codes[0].process_code, anchorMs - 100 * DAY, anchorMs, 7);
    expect(small).toEqual(ids);
    const other = await listAll(tk, codes[1].process_code, anchorMs - 100 * DAY, anchorMs);
    expect(other.filter((x) => ids.includes(x))).toEqual([]);
    // nothing older than 90 days
    const old = await listAll(tk, codes[0].process_code, anchorMs - 119 * DAY, anchorMs - 90 * DAY - 1000);
    expect(old).toEqual([]);
  });

  it("windows filter on start time, string numbers are accepted, userid_list filters originators", async () => {
    const tk = await token();
    const [pc] = await processCodes();
    const all = await listAll(tk, pc.process_code, anchorMs - 100 * DAY, anchorMs);
    const recent = await listAll(tk, pc.process_code, anchorMs - 10 * DAY, anchorMs);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(all.slice(-recent.length)).toEqual(recent);
    const s = await post(`/topapi/processinstance/listids?access_token=${tk}`, {
      process_code: pc.process_code,
      start_time: String(anchorMs - 10 * DAY),
      end_time: String(anchorMs),
      size: "20",
      cursor: "0",
    });
    expect(s.errcode).toBe(0);
    const first = await post(`/topapi/processinstance/get?access_token=${tk}`, { process_instance_id: all[0] });
    const uid = (first.process_instance as { originator_userid: string }).originator_userid;
    const mine = await post(`/topapi/processinstance/listids?access_token=${tk}`, {
      process_code: pc.process_code,
      start_time: anchorMs - 100 * DAY,
      end_time: anchorMs,
      userid_list: uid,
    });
    const list = (mine.result as { list: string[] }).list;
    expect(list).toContain(all[0]);
    for (const id of list) {
      const d = await post(`/topapi/processinstance/get?access_token=${tk}`, { process_instance_id: id });
      expect((d.process_instance as { originator_userid: string }).originator_userid).toBe(uid);
    }
  });

  it("get returns the full process_instance shape with a TableField JSON string and a status mix", async () => {
    const tk = await token();
    const [pc] = await processCodes();
    const ids = await listAll(tk, pc.process_code, anchorMs - 100 * DAY, anchorMs);
    const st = await sandbox("state");
    const depts = st.departments as { name: string; dingtalkDeptId: string; kingdeeNumber: string }[];
    const emps = st.employees as { userid: string; name: string; kingdeeStaffNumber: string }[];
    const seen = new Set<string>();
    let agree = 0;
    for (const id of ids) {
      const r = await post(`/topapi/processinstance/get?access_token=${tk}`, { process_instance_id: id });
      expect(r.errcode).toBe(0);
      const p = r.process_instance as Record<string, unknown>;
      for (const k of ["title", "create_time", "originator_userid", "originator_dept_id", "originator_dept_name", "status", "result", "business_id", "form_component_values", "operation_records", "tasks"]) {
        expect(p).toHaveProperty(k);
      }
      expect(p.create_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(String(p.business_id)).toMatch(/^\d{18}$/);
      seen.add(`${p.status}/${p.result}`);
      if (p.status === "COMPLETED" && p.result === "agree") agree++;
      if (p.status === "RUNNING") expect(p.finish_time).toBeUndefined();
      else expect(p.finish_time).toMatch(/^\d{4}-/);
      expect(depts.some((d) => d.name === p.originator_dept_name && d.dingtalkDeptId === p.originator_dept_id)).toBe(true);
      const fcv = p.form_component_values as { name: string; value: string; component_type: string }[];
      for (const f of fcv) expect(typeof f.value).toBe("string");
      const amount = Number(fcv.find((f) => f.component_type === "MoneyField")?.value);
      const table = fcv.find((f) => f.component_type === "TableField");
      const rows = JSON.parse(table?.value ?? "null") as { rowValue: { label: string; value: string; key: string }[] }[];
      const sum = rows.reduce((s, row) => s + Number(row.rowValue.find((c) => c.label.startsWith("金额"))?.value), 0);
      expect(sum).toBeCloseTo(amount, 2);
      const applicant = fcv.find((f) => f.name === "申请人")?.value;
      expect(emps.some((e) => e.name === applicant && e.userid === p.originator_userid)).toBe(true);
      expect(fcv.find((f) => f.name === "所属部门")?.value).toBe(p.originator_dept_name);
      expect(fcv.some((f) => f.name === "申请事由")).toBe(true);
    }
    expect(seen.has("COMPLETED/agree")).toBe(true);
    expect(seen.has("COMPLETED/refuse")).toBe(true);
    expect(seen.has("RUNNING/")).toBe(true);
    expect(agree).toBe(pc.completedAgree);
    expect(agree).toBeGreaterThan(ids.length / 2);
  });

  it("is deterministic for the same seed and anchor", async () => {
    const other = await startDingtalkSimulator({ port: 0, config: { approvals: 130, seed: 42, anchor: ANCHOR } });
    try {
      const tk = await token();
      const [pc] = await processCodes();
      const a = await listAll(tk, pc.process_code, anchorMs - 100 * DAY, anchorMs);
      const t2 = (await (await fetch(`${other.url}/gettoken?appkey=${other.credentials.appkey}&appsecret=${other.credentials.appsecret}`)).json()) as { access_token: string };
      const r = (await (
        await fetch(`${other.url}/topapi/processinstance/listids?access_token=${t2.access_token}`, {
          method: "POST",
          body: JSON.stringify({ process_code: pc.process_code, start_time: anchorMs - 100 * DAY, end_time: anchorMs }),
        })
      ).json()) as { result: { list: string[] } };
      expect(r.result.list).toEqual(a.slice(0, 20));
    } finally {
      await other.close();
    }
  });

  it("bad input gets the vendor error shape: size > 20, missing fields, wrong types, non-JSON, unknown ids, span", async () => {
    const tk = await token();
    const [pc] = await processCodes();
    const u = `/topapi/processinstance/listids?access_token=${tk}`;
    const base = { process_code: pc.process_code, start_time: anchorMs - 10 * DAY, end_time: anchorMs };
    for (const body of [
      { ...base, size: 21 },
      { ...base, size: 0 },
      { ...base, size: "big" },
      { ...base, cursor: -1 },
      { start_time: anchorMs },
      { ...base, process_code: "PROC-NOPE" },
      { ...base, start_time: "yesterday" },
      { ...base, start_time: anchorMs - 200 * DAY },
      { ...base, userid_list: ["a"] },
    ]) {
      const r = await post(u, body);
      expect(r.errcode).not.toBe(0);
      expect(typeof r.errmsg).toBe("string");
    }
    expect((await post(u, null, "{not json")).errcode).toBe(40035);
    const g = `/topapi/processinstance/get?access_token=${tk}`;
    expect((await post(g, {})).errcode).not.toBe(0);
    expect((await post(g, { process_instance_id: "00000000-0000-4000-a000-000000000001" })).errcode).not.toBe(0);
    expect((await post(g, { process_instance_id: 5 })).errcode).not.toBe(0);
    const wrongMethod = (await (await fetch(`${sim.url}${u}`)).json()) as Json;
    expect(wrongMethod.errcode).not.toBe(0);
  });
});

describe("dingtalk: rate limit and faults", () => {
  it("per-app per-API QPS → 90018 above the limit, other APIs unaffected", async () => {
    const tk = await token();
    const [pc] = await processCodes();
    await sandbox("config", { qps: 3 });
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const codes = await Promise.all(
      Array.from({ length: 10 }, async () => (await post(`/topapi/processinstance/listids?access_token=${tk}`, { process_code: pc.process_code, start_time: anchorMs - DAY, end_time: anchorMs })).errcode),
    );
    const ok = codes.filter((c) => c === 0).length;
    expect(ok).toBeGreaterThanOrEqual(3);
    expect(ok).toBeLessThanOrEqual(6);
    expect(codes.filter((c) => c !== 0).every((c) => c === 90018)).toBe(true);
    const other = await post(`/topapi/processinstance/get?access_token=${tk}`, { process_instance_id: "x" });
    expect(other.errcode).not.toBe(90018);
    const st = await sandbox("state");
    expect((st.faults as { rateLimited: number }).rateLimited).toBe(10 - ok);
  });

  it("failNext: -1 busy, 42001 on demand, HTTP 503, drop; then normal", async () => {
    const tk = await token();
    await sandbox("config", {
      failNext: [
        { method: "topapi/processinstance/get", vendorError: "busy" },
        { method: "topapi/processinstance/get", vendorError: "tokenExpired" },
        { method: "topapi/processinstance/get", status: 503 },
        { method: "topapi/processinstance/get", drop: true },
        { method: "topapi/processinstance/get", vendorError: "ipBan" },
        { method: "topapi/processinstance/get", vendorError: "permission" },
      ],
    });
    const u = `/topapi/processinstance/get?access_token=${tk}`;
    expect((await post(u, { process_instance_id: "x" })).errcode).toBe(-1);
    expect((await post(u, { process_instance_id: "x" })).errcode).toBe(42001);
    const r = await fetch(`${sim.url}${u}`, { method: "POST", body: "{}" });
    expect(r.status).toBe(503);
    await expect(fetch(`${sim.url}${u}`, { method: "POST", body: "{}" })).rejects.toThrow();
    expect(await post(u, {})).toMatchObject({ status: 1111, punish: "deny" });
    expect(await post(u, {})).toMatchObject({ errcode: 88, sub_code: "60011" });
    expect((await post(u, { process_instance_id: "x" })).errcode).toBe(40035);
  });

  it("errorRate and dropRate apply to every API", async () => {
    await sandbox("config", { errorRate: 1 });
    const r = await fetch(`${sim.url}/gettoken?appkey=a&appsecret=b`);
    expect([500, 502]).toContain(r.status);
    await sandbox("config", { errorRate: 0, dropRate: 1 });
    await expect(fetch(`${sim.url}/gettoken?appkey=a&appsecret=b`)).rejects.toThrow();
    await sandbox("config", { dropRate: 0 });
  });
});
