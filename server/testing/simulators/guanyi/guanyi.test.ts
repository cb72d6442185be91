/**
 * Protocol tests of the Guanyi simulator over real HTTP, with signatures computed here
 * independently from the fact sheet's algorithm.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../common/core";
import { startGuanyiSimulator } from "./index";

const CJK = /[\u4e00-\u9fa5]/;
let sim: SimulatorHandle;

/** Sheet §3: UPPER(hex(MD5(secret + compact JSON without sign + secret))). */
function signOf(obj: Record<string, unknown>, secret: string): string {
  const json = JSON.stringify(obj); // compact, keys in insertion order, non-ASCII unescaped
  return createHash("md5").update(`${secret}${json}${secret}`, "utf8").digest("hex").toUpperCase();
}

function signed(business: Record<string, unknown>, method = "gy.erp.shop.get"): Record<string, unknown> {
  const c = sim.credentials;
  const obj: Record<string, unknown> = { appkey: c.appkey, sessionkey: c.sessionkey, method, ...business };
  return { ...obj, sign: signOf(obj, c.secret) };
}

async function call(body: string | Record<string, unknown>, contentType = "application/json") {
  const res = await fetch(`${sim.url}/rest/erp_open`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> & { total: number } };
}

async function sandbox(path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/__sandbox/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  sim = await startGuanyiSimulator({ port: 0, config: { shops: 237, vips: 300, items: 120, trades: 500, seed: 7 } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await sandbox("reset", { shops: 237, latencyMs: 0, jitterMs: 0, errorRate: 0, dropRate: 0, qps: 0 });
});

describe("guanyi: signing and auth", () => {
  it("accepts a correctly signed JSON request and returns the sheet's envelope", async () => {
    const r = await call(signed({ page_no: 1, page_size: 10 }));
    expect(r.status).toBe(200);
    const j = r.json();
    expect(j.success).toBe(true);
    expect(j.errorCode).toBe("");
    expect(j.requestMethod).toBe("gy.erp.shop.get");
    expect(j.flag).toBeNull();
    expect(j.total).toBe(237);
    const shops = j.shops as Record<string, unknown>[];
    expect(shops).toHaveLength(10);
    expect(Object.keys(shops[0]).sort()).toEqual(
      ["code", "create_date", "id", "modify_date", "name", "nick", "note", "type_name"].sort(),
    );
    expect(shops[0].code).toBe("G000001");
    expect(shops[0].modify_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it("accepts the PHP demo's URL-encoded body with text/json;charset=utf-8 and string paging params", async () => {
    const body = encodeURIComponent(JSON.stringify(signed({ page_no: "1", page_size: "5", code: "G000003" })));
    const r = await call(body, "text/json;charset=utf-8");
    const j = r.json();
    expect(j.success).toBe(true);
    expect(j.total).toBe(1);
    expect((j.shops as { code: string }[])[0].code).toBe("G000003");
  });

  it("checks the sign on the parsed object, not on the raw body (spaces, \\u escapes)", async () => {
    const obj = signed({ page_no: 1, page_size: 2, note: "中文/备注" });
    const spaced = JSON.stringify(obj, null, 1).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const j = (await call(spaced)).json();
    expect(j.success).toBe(true);
  });

  it("keeps number lexemes and integer-like key order when re-serialising", async () => {
    const c = sim.credentials;
    const raw = `{"appkey":"${c.appkey}","sessionkey":"${c.sessionkey}","method":"gy.erp.shop.get","page_size":1.0,"10":"x"}`;
    const sign = createHash("md5").update(c.secret + raw + c.secret, "utf8").digest("hex").toUpperCase();
    const j = (await call(`${raw.slice(0, -1)},"sign":"${sign}"}`)).json();
    expect(j.success).toBe(true);
  });

  it("accepts a lower-case sign", async () => {
    const obj = signed({ page_no: 1 });
    const j = (await call({ ...obj, sign: String(obj.sign).toLowerCase() })).json();
    expect(j.success).toBe(true);
  });

  it("rejects a wrong sign, appkey or sessionkey with success:false, errorCode and a Chinese errorDesc", async () => {
    const bad = [
      { ...signed({ page_no: 1 }), sign: "0".repeat(32) },
      (() => {
        const o = signed({ page_no: 1 });
        return { ...o, page_no: 2 }; // tampered after signing
      })(),
      { ...signed({}), appkey: "nope" },
      { ...signed({}), sessionkey: "nope" },
    ];
    const codes = new Set<string>();
    for (const b of bad) {
      const r = await call(b);
      expect(r.status).toBe(200);
      const j = r.json();
      expect(j.success).toBe(false);
      expect(String(j.errorCode)).not.toBe("");
      expect(String(j.errorDesc)).toMatch(CJK);
      expect(j.shops).toBeUndefined();
      codes.add(String(j.errorCode));
    }
    expect(codes.size).toBe(3); // sign, appkey, sessionkey are distinguishable
  });
});

describe("guanyi: paging and filters", () => {
  it("pages to the end with total = record count and no duplicates", async () => {
    const seen = new Set<string>();
    let total = -1;
    for (let page = 1; ; page++) {
      const j = (await call(signed({ page_no: page, page_size: 100 }))).json();
      expect(j.success).toBe(true);
      total = j.total;
      const shops = j.shops as { code: string }[];
      for (const s of shops) seen.add(s.code);
      if (page >= Math.ceil(total / 100)) {
        expect(shops).toHaveLength(237 - 200);
        break;
      }
    }
    expect(total).toBe(237);
    expect(seen.size).toBe(237);
    const past = (await call(signed({ page_no: 4, page_size: 100 }))).json();
    expect(past.shops).toEqual([]);
    expect(past.total).toBe(237);
  });

  it("refuses page_size above 100 and malformed paging with the vendor error shape", async () => {
    for (const bad of [{ page_size: 101 }, { page_size: 1000000 }, { page_no: 0 }, { page_size: "abc" }, { page_no: -1 }, { page_no: { a: 1 } }, { code: ["G000001"] }, { page_size: 1.5 }]) {
      const r = await call(signed(bad));
      expect(r.status).toBe(200);
      const j = r.json();
      expect(j.success).toBe(false);
      expect(String(j.errorDesc)).toMatch(CJK);
    }
  });

  it("filters by modify date window (inclusive) and code, and data is deterministic", async () => {
    const all = (await call(signed({ page_no: 1, page_size: 100 }))).json().shops as { code: string; modify_date: string }[];
    const from = all[20].modify_date;
    const to = all[49].modify_date;
    const inWindow = [];
    for (let p = 1; p <= 3; p++) {
      const s = (await call(signed({ page_no: p, page_size: 100 }))).json().shops as { modify_date: string }[];
      inWindow.push(...s.filter((x) => x.modify_date >= from && x.modify_date <= to));
    }
    const j = (await call(signed({ page_no: 1, page_size: 100, modify_start_date: from, modify_end_date: to }))).json();
    expect(j.total).toBe(inWindow.length);
    expect((j.shops as unknown[]).length).toBe(inWindow.length);
    const again = (await call(signed({ page_no: 1, page_size: 100 }))).json().shops;
    expect(again).toEqual(all);
    const bad = (await call(signed({ modify_start_date: "not a date" }))).json();
    expect(bad.success).toBe(false);
    const none = (await call(signed({ code: "G999999" }))).json();
    expect(none.total).toBe(0);
  });

  it("serves vips, items and trades with their list keys and filters", async () => {
    const v = (await call(signed({ page_size: 100, shop_code: "G000002" }, "gy.erp.vip.get"))).json();
    expect(v.success).toBe(true);
    const vips = v.vips as { shop_code: string; receive_infos: unknown[] }[];
    expect(vips.length).toBeGreaterThan(0);
    expect(vips.every((x) => x.shop_code === "G000002")).toBe(true);
    const none = (await call(signed({ page_size: 100, shop_code: "G999999" }, "gy.erp.vip.get"))).json();
    expect(none.total).toBe(0);
    const i = (await call(signed({ page_size: 3 }, "gy.erp.items.get"))).json();
    expect(i.total).toBe(120);
    expect((i.items as { skus: unknown[] }[])[0].skus.length).toBeGreaterThan(0);
    const t = (await call(signed({ page_size: 50, order_state: 2 }, "gy.erp.trade.get"))).json();
    expect(t.success).toBe(true);
    expect((t.orders as { approve: boolean }[]).every((o) => o.approve)).toBe(true);
    expect(t.total).toBeLessThan(500);
  });

  it("answers an unknown method and a non-JSON body with the business error envelope", async () => {
    const u = await call(signed({}, "gy.erp.nothing.get"));
    expect(u.status).toBe(200);
    expect(u.json().success).toBe(false);
    for (const body of ["not json", "[1,2]", "", "{\"appkey\":"]) {
      const r = await call(body);
      expect(r.status).toBe(200);
      const j = r.json();
      expect(j.success).toBe(false);
      expect(String(j.errorDesc)).toMatch(CJK);
      expect(r.text).not.toMatch(/at .*\.ts/);
    }
  });

  it("serves a page of a million shops without materialising them", async () => {
    await sandbox("config", { shops: 1_000_000 });
    const t0 = performance.now();
    const j = (await call(signed({ page_no: 10_000, page_size: 100 }))).json();
    expect(performance.now() - t0).toBeLessThan(5000); // lazily generated: no million-object build first
    expect(j.total).toBe(1_000_000);
    expect((j.shops as { code: string }[])[99].code).toBe("G1000000");
    const last = (j.shops as { modify_date: string }[])[99].modify_date;
    const w = (await call(signed({ page_size: 10, modify_start_date: last }))).json();
    expect(w.total).toBeGreaterThanOrEqual(1);
  });
});

describe("guanyi: sandbox mutate", () => {
  it("changes a record, bumps modify_date, keeps totals, and reset forgets it", async () => {
    const before = Date.now() - 1000;
    const m = await sandbox("mutate", { method: "gy.erp.shop.get", code: "G000001", set: { name: "新名字" } });
    expect(m.status).toBe(200);
    const j = (await call(signed({ code: "G000001" }))).json();
    const shop = (j.shops as { name: string; modify_date: string }[])[0];
    expect(shop.name).toBe("新名字");
    const since = new Date(before + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
    const recent = (await call(signed({ page_size: 100, modify_start_date: since }))).json();
    expect(recent.total).toBe(1);
    expect((recent.shops as { code: string }[])[0].code).toBe("G000001");
    const full = (await call(signed({ page_size: 100, page_no: 3 }))).json();
    expect(full.total).toBe(237);
    expect((full.shops as { code: string }[]).at(-1)?.code).toBe("G000001"); // moved after the unmodified ones
    await sandbox("reset", {});
    const after = (await call(signed({ code: "G000001" }))).json();
    expect((after.shops as { name: string }[])[0].name).not.toBe("新名字");
    const bad = await sandbox("mutate", { method: "gy.erp.shop.get", code: "G000001", set: { code: "X" } });
    expect(bad.status).toBe(400);
  });
});

describe("guanyi: faults", () => {
  it("errorRate → HTTP 500/502", async () => {
    await sandbox("config", { errorRate: 1 });
    const r = await call(signed({}));
    expect([500, 502]).toContain(r.status);
  });

  it("dropRate → the connection is dropped without a response", async () => {
    await sandbox("config", { dropRate: 1 });
    await expect(call(signed({}))).rejects.toThrow();
    const st = await sandbox("state");
    expect((st.json.faults as { dropped: number }).dropped).toBe(1);
  });

  it("failNext queue: 429 with Retry-After, then a drop, then a vendor throttle, then normal", async () => {
    await sandbox("config", { failNext: [{ status: 429, retryAfterSec: 1 }, { drop: true }, { vendorError: "rateLimit" }] });
    const a = await call(signed({}));
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toBe("1");
    await expect(call(signed({}))).rejects.toThrow();
    const c = (await call(signed({}))).json();
    expect(c.success).toBe(false);
    expect(c.errorCode).toBe("api.limited");
    expect((await call(signed({}))).json().success).toBe(true);
  });

  it("failNext with a method only hits that method", async () => {
    await sandbox("config", { failNext: [{ method: "gy.erp.vip.get", status: 503 }] });
    expect((await call(signed({}))).status).toBe(200);
    expect((await call(signed({}, "gy.erp.vip.get"))).status).toBe(503);
  });

  it("qps → the vendor's throttling error above the limit", async () => {
    await sandbox("config", { qps: 2 });
    // a concurrent burst of 8 right after a second boundary: at most two windows are touched
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const results = await Promise.all(Array.from({ length: 8 }, async () => (await call(signed({}))).json()));
    const ok = results.filter((r) => r.success).length;
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(ok).toBeLessThanOrEqual(4);
    expect(results.filter((r) => !r.success).every((r) => r.errorCode === "api.limited")).toBe(true);
  });

  it("jitterMs adds a seeded random delay on top of latencyMs", async () => {
    await sandbox("config", { latencyMs: 10, jitterMs: 60 });
    const times: number[] = [];
    for (let k = 0; k < 6; k++) {
      const t0 = performance.now();
      await call(signed({}));
      times.push(performance.now() - t0);
    }
    expect(Math.min(...times)).toBeGreaterThanOrEqual(9);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(5);
  });

  it("seed changes the generated data; the same seed gives it back", async () => {
    const names = async () => ((await call(signed({ page_size: 20 }))).json().shops as { name: string }[]).map((s) => s.name);
    const a = await names();
    await sandbox("config", { seed: 12345 });
    const b = await names();
    expect(b).not.toEqual(a);
    await sandbox("config", { seed: 7 });
    expect(await names()).toEqual(a);
  });

  it("latencyMs delays answers; state counts requests and errors and shows credentials", async () => {
    await sandbox("config", { latencyMs: 60 });
    const t0 = performance.now();
    await call(signed({}));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    await sandbox("config", { latencyMs: 0 });
    await call({ ...signed({}), sign: "x" });
    const st = (await sandbox("state")).json;
    expect((st.requests as Record<string, number>)["gy.erp.shop.get"]).toBe(2);
    expect(Object.keys(st.errors as object)).toContain("gy.erp.shop.get:invalid.sign");
    expect(st.credentials).toEqual(sim.credentials);
    const bad = await sandbox("config", { nope: 1 });
    expect(bad.status).toBe(400);
    const bad2 = await sandbox("config", { errorRate: 2 });
    expect(bad2.status).toBe(400);
  });
});
