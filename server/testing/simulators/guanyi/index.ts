/**
 * 管易云 C-ERP open API simulator: `POST /rest/erp_open`, one gateway, operation in `method`.
 *
 * Why this exists: nobody (nor CI) can reach the real Guanyi gateway; connectors, engine tests,
 * benchmarks and the app's sandbox mode run against this server instead. It follows
 * /work/shared/reference/guanyi-erp.md: raw or URL-encoded JSON bodies, MD5 sign over the
 * re-serialised parsed object, the `success/errorCode/errorDesc` envelope (HTTP 200 even for
 * errors), page_no/page_size paging with `total`, modify-date windows, seeded lazy data.
 *
 * Sandbox hooks (besides /__sandbox/state|config|reset from common/core.ts):
 *   POST /__sandbox/mutate {"method":"gy.erp.shop.get","code":"G000001","set":{"name":"新名字"}}
 *     stores an override of that record and bumps its modify date to now (unless `set` has it).
 * Fault queue `vendorError` names: "rateLimit" (api.limited), "busy" (system.busy).
 */
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import {
  BASE_DEFAULTS,
  SimCore,
  sandboxJson,
  sendJson,
  serve,
  type BaseConfig,
  type SimRequest,
  type SimulatorHandle,
  type StartOptions,
  type VendorApp,
} from "../common/core";
import { LazyTable, type LazyQuery, type Rec } from "../common/lazy";
import { OrderedJsonError, parseOrdered, stringifyOrdered, toPlain, type OJ } from "../common/ordered-json";
import { formatCst, parseCst } from "../common/time";
import { TRADE_DATE_FIELDS, itemDataset, shopDataset, tradeDataset, vipDataset, type GenParams } from "./data";

/** Fixed demo credentials of the sandbox tenant (the app's "sandbox connection"). */
export const GUANYI_CREDENTIALS = {
  appkey: "189200",
  sessionkey: "5a9c0d2e7b1f4c3a8e6d1b2c3d4e5f60",
  secret: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
} as const;

export interface GuanyiConfig extends BaseConfig {
  shops: number;
  vips: number;
  items: number;
  trades: number;
  /** ISO instant the seeded dates are relative to; "" = simulator start */
  anchor: string;
}

export const GUANYI_DEFAULTS: GuanyiConfig = {
  ...BASE_DEFAULTS,
  shops: 1000,
  vips: 5000,
  items: 2000,
  trades: 10000,
  anchor: "",
};

// CHOICE: Guanyi error codes and texts (the real ones are unconfirmed). Every error is HTTP 200,
// `success:false`, `errorCode` one of these strings, `errorDesc` Chinese. Retryable (throttling):
// "api.limited" and "system.busy"; everything else is permanent.
export const GUANYI_ERRORS = {
  body: { code: "invalid.body", desc: "请求数据格式错误，请以JSON格式提交" },
  appkey: { code: "invalid.appkey", desc: "appkey不存在或未授权" },
  sessionkey: { code: "invalid.sessionkey", desc: "sessionkey无效" },
  sign: { code: "invalid.sign", desc: "签名验证失败" },
  method: { code: "invalid.method", desc: "接口方法不存在" },
  param: { code: "invalid.param", desc: "参数错误" },
  limited: { code: "api.limited", desc: "接口调用频率超过限制，请稍后再试" },
  busy: { code: "system.busy", desc: "系统繁忙，请稍后再试" },
} as const;

/** MD5 sign exactly as the sheet: UPPER(hex(md5(secret + compactJson + secret))). */
export function guanyiSign(secret: string, compactJsonWithoutSign: string): string {
  return createHash("md5").update(secret + compactJsonWithoutSign + secret, "utf8").digest("hex").toUpperCase();
}

// CHOICE: max page_size 100; above → invalid.param error (not silently clamped). Default 10.
const MAX_PAGE_SIZE = 100;

interface MethodDef {
  listKey: string;
  table: LazyTable<Rec>;
  /** field bumped by mutate */
  modifyField: string;
  buildQuery(params: Record<string, unknown>): LazyQuery<Rec> | string;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  if (s === undefined) return undefined;
  return s.trim() === "" ? undefined : s.trim();
}

function dateParam(params: Record<string, unknown>, key: string): number | undefined | string {
  const s = str(params[key]);
  if (s === undefined) return undefined;
  const t = parseCst(s);
  return Number.isNaN(t) ? `${key}格式错误，应为yyyy-MM-dd HH:mm:ss` : t;
}

function windowOf(params: Record<string, unknown>, field: string, fromKey: string, toKey: string): LazyQuery<Rec>["window"] | string {
  const from = dateParam(params, fromKey);
  const to = dateParam(params, toKey);
  if (typeof from === "string") return from;
  if (typeof to === "string") return to;
  if (from === undefined && to === undefined) return undefined;
  // CHOICE: date windows are inclusive on both ends, compared at whole seconds.
  return { field, from, to };
}

class GuanyiApp implements VendorApp {
  readonly name = "guanyi" as const;
  readonly core: SimCore<GuanyiConfig>;
  readonly credentials: Record<string, string> = { ...GUANYI_CREDENTIALS };
  private methods: Record<string, MethodDef>;

  constructor(config: Record<string, unknown>) {
    this.core = new SimCore<GuanyiConfig>("guanyi", GUANYI_DEFAULTS, config);
    const anchor = () => {
      const a = this.core.config.anchor;
      const t = a ? Date.parse(a) : NaN;
      return Math.floor((Number.isNaN(t) ? this.core.startedAt : t) / 1000) * 1000;
    };
    const gp = (sizeKey: "shops" | "vips" | "items" | "trades", salt: number) => (): GenParams => ({
      seed: (this.core.config.seed + salt) >>> 0,
      anchorMs: anchor(),
      size: Math.floor(this.core.config[sizeKey]),
    });
    const shopsP = gp("shops", 0);
    const vipsP = gp("vips", 1);
    const itemsP = gp("items", 2);
    const tradesP = gp("trades", 3);
    const shops = new LazyTable(shopDataset(shopsP));
    const vips = new LazyTable(vipDataset(vipsP, shopsP));
    const items = new LazyTable(itemDataset(itemsP));
    const trades = new LazyTable(tradeDataset(tradesP, shopsP, vipsP, itemsP));
    const shopMod = (params: Record<string, unknown>): LazyQuery<Rec>["mod"] | undefined => {
      const sc = str(params.shop_code);
      if (sc === undefined) return undefined;
      const idx = shopDataset(shopsP).indexOfCode(sc);
      const n = Math.max(1, shopsP().size);
      // an unknown shop matches nothing: an impossible residue
      return idx < 0 || idx >= n ? { m: n, k: n } : { m: n, k: idx };
    };
    this.methods = {
      "gy.erp.shop.get": {
        listKey: "shops",
        table: shops as unknown as LazyTable<Rec>,
        modifyField: "modify_date",
        buildQuery: (params) => {
          const w = windowOf(params, "modify_date", "modify_start_date", "modify_end_date");
          if (typeof w === "string") return w;
          return { window: w, code: str(params.code) };
        },
      },
      "gy.erp.vip.get": {
        listKey: "vips",
        table: vips as unknown as LazyTable<Rec>,
        modifyField: "modify_date",
        buildQuery: (params) => {
          const wc = windowOf(params, "created", "start_created", "end_created");
          if (typeof wc === "string") return wc;
          const wm = windowOf(params, "modify_date", "modify_start_date", "modify_end_date");
          if (typeof wm === "string") return wm;
          const name = str(params.name);
          const mobile = str(params.mobile);
          const source = str(params.source);
          const residuals: ((r: Rec) => boolean)[] = [];
          if (wc && wm) {
            // CHOICE: both windows given → the created window is indexed, the modify window filtered.
            const { from, to } = wm;
            residuals.push((r) => {
              const t = parseCst(String(r.modify_date));
              return (from === undefined || t >= from) && (to === undefined || t <= to);
            });
          }
          if (name) residuals.push((r) => r.name === name);
          if (mobile)
            residuals.push((r) => Array.isArray(r.receive_infos) && r.receive_infos.some((x: Rec) => x.phone === mobile));
          if (source) residuals.push((r) => r.source === source);
          // CHOICE: vip `level_code` filter is accepted and ignored (level codes are not in the sheet).
          return {
            window: wc ?? wm,
            code: str(params.code),
            mod: shopMod(params),
            residual: residuals.length ? (r) => residuals.every((f) => f(r)) : undefined,
            residualKey: JSON.stringify([wc && wm ? wm : null, name, mobile, source]),
          };
        },
      },
      "gy.erp.items.get": {
        listKey: "items",
        table: items as unknown as LazyTable<Rec>,
        modifyField: "modify_date",
        buildQuery: (params) => {
          const w = windowOf(params, "modify_date", "start_date", "end_date");
          if (typeof w === "string") return w;
          return { window: w, code: str(params.code) };
        },
      },
      "gy.erp.trade.get": {
        // CHOICE: trade.get list key is `orders` (unconfirmed in the sheet).
        listKey: "orders",
        table: trades as unknown as LazyTable<Rec>,
        modifyField: "modifytime",
        buildQuery: (params) => {
          const dt = str(params.date_type) ?? "0";
          const d = TRADE_DATE_FIELDS[Number(dt)];
          if (!/^[0-3]$/.test(dt) || !d) return "date_type只能为0,1,2,3";
          // CHOICE: trade.get start_date/end_date apply to date_type's field (0 createtime,
          // 1 dealtime, 2 paytime, 3 modifytime); default date_type 0.
          const w = windowOf(params, d.field, "start_date", "end_date");
          if (typeof w === "string") return w;
          const os = str(params.order_state) ?? "0";
          if (!/^[0-2]$/.test(os)) return "order_state只能为0,1,2";
          const eq: [string, string | undefined][] = [
            ["warehouse_code", str(params.warehouse_code)],
            ["vip_name", str(params.vip_name)],
            ["platform_code", str(params.platform_code)],
            ["receiver_mobile", str(params.receiver_mobile)],
          ];
          const active = eq.filter(([, v]) => v !== undefined);
          const residual =
            active.length || os !== "0"
              ? (r: Rec) => active.every(([k, v]) => r[k] === v) && (os === "0" || r.approve === (os === "2"))
              : undefined;
          return {
            window: w,
            code: str(params.code),
            mod: shopMod(params),
            residual,
            residualKey: JSON.stringify([active, os]),
          };
        },
      },
    };
  }

  state(): Record<string, unknown> {
    const c = this.core.config;
    return {
      endpoint: "/rest/erp_open",
      methods: Object.fromEntries(Object.entries(this.methods).map(([m, d]) => [m, { listKey: d.listKey }])),
      datasets: { shops: c.shops, vips: c.vips, items: c.items, trades: c.trades },
      overrides: Object.fromEntries(Object.entries(this.methods).map(([m, d]) => [m, d.table.overrideCount])),
    };
  }

  reset(): void {
    for (const d of Object.values(this.methods)) d.table.clearOverrides();
  }

  private fail(res: ServerResponse, method: string, err: { code: string; desc: string }, detail?: string): void {
    this.core.countError(method || "?", err.code);
    sendJson(res, 200, {
      success: false,
      errorCode: err.code,
      subErrorCode: "",
      errorDesc: detail ? `${err.desc}：${detail}` : err.desc,
      subErrorDesc: detail ?? "",
      requestMethod: method,
      flag: null,
    });
  }

  async handle(req: SimRequest, res: ServerResponse): Promise<void> {
    if (req.path !== "/rest/erp_open") {
      sendJson(res, 404, { success: false, errorCode: "404", errorDesc: "接口地址不存在" });
      return;
    }
    if (req.method !== "POST") {
      this.fail(res, "", GUANYI_ERRORS.body, "只支持POST");
      return;
    }
    // Body: raw JSON, or the whole JSON URL-encoded (official PHP demo).
    let text = req.body.toString("utf8").trim();
    if (/^%7b/i.test(text)) {
      try {
        text = decodeURIComponent(text.replace(/\+/g, " "));
      } catch {
        this.fail(res, "", GUANYI_ERRORS.body, "URL编码错误");
        return;
      }
    }
    let tree: OJ;
    try {
      tree = parseOrdered(text);
    } catch (e) {
      const pf = await this.core.preflight("?", req.raw, res);
      if (pf.done) return;
      this.fail(res, "", GUANYI_ERRORS.body, e instanceof OrderedJsonError ? e.message : undefined);
      return;
    }
    if (tree.t !== "obj") {
      const pf = await this.core.preflight("?", req.raw, res);
      if (pf.done) return;
      this.fail(res, "", GUANYI_ERRORS.body, "请求体必须是JSON对象");
      return;
    }
    const params = toPlain(tree) as Record<string, unknown>;
    const method = typeof params.method === "string" ? params.method : "";
    const pf = await this.core.preflight(method || "?", req.raw, res);
    if (pf.done) return;

    if (params.appkey !== this.credentials.appkey) return this.fail(res, method, GUANYI_ERRORS.appkey);
    if (params.sessionkey !== this.credentials.sessionkey) return this.fail(res, method, GUANYI_ERRORS.sessionkey);
    const sign = typeof params.sign === "string" ? params.sign : "";
    // CHOICE: the server re-serialises the *parsed* object without `sign` in received key order,
    // compact, non-ASCII unescaped, `/` unescaped, number lexemes kept as sent; compares
    // case-insensitively. Null/empty params are NOT dropped server-side (clients drop them
    // before signing *and* sending, so they are simply absent).
    const unsigned: OJ = { t: "obj", entries: tree.entries.filter(([k]) => k !== "sign") };
    const expected = guanyiSign(this.credentials.secret, stringifyOrdered(unsigned));
    if (sign.toUpperCase() !== expected) return this.fail(res, method, GUANYI_ERRORS.sign);

    const def = this.methods[method];
    if (!def) return this.fail(res, method, GUANYI_ERRORS.method, method || "method为空");

    // CHOICE: QPS limit is per appkey + method; above it → api.limited.
    if (!this.core.rate.take(`${params.appkey}|${method}`, this.core.config.qps)) {
      this.core.faults.rateLimited++;
      return this.fail(res, method, GUANYI_ERRORS.limited);
    }
    if (pf.vendorError === "rateLimit") return this.fail(res, method, GUANYI_ERRORS.limited);
    if (pf.vendorError === "busy") return this.fail(res, method, GUANYI_ERRORS.busy);

    for (const [k, v] of Object.entries(params)) {
      if (v !== null && typeof v === "object") return this.fail(res, method, GUANYI_ERRORS.param, `参数${k}的类型错误，应为字符串或数字`);
    }
    const pageNoS = str(params.page_no) ?? "1";
    const pageSizeS = str(params.page_size) ?? "10";
    if (!/^\d+$/.test(pageNoS) || Number(pageNoS) < 1)
      return this.fail(res, method, GUANYI_ERRORS.param, "page_no必须是大于0的整数");
    if (!/^\d+$/.test(pageSizeS) || Number(pageSizeS) < 1)
      return this.fail(res, method, GUANYI_ERRORS.param, "page_size必须是大于0的整数");
    const pageNo = Number(pageNoS);
    const pageSize = Number(pageSizeS);
    if (pageSize > MAX_PAGE_SIZE)
      return this.fail(res, method, GUANYI_ERRORS.param, `page_size不能大于${MAX_PAGE_SIZE}`);
    const q = def.buildQuery(params);
    if (typeof q === "string") return this.fail(res, method, GUANYI_ERRORS.param, q);
    const offset = (pageNo - 1) * pageSize;
    const page = def.table.query(q, offset, pageSize);
    sendJson(res, 200, {
      success: true,
      errorCode: "",
      subErrorCode: "",
      errorDesc: "",
      subErrorDesc: "",
      requestMethod: method,
      flag: null,
      [def.listKey]: page.items,
      total: page.total,
    });
  }

  sandbox(req: SimRequest, res: ServerResponse): boolean {
    if (req.path !== "/__sandbox/mutate" || req.method !== "POST") return false;
    const body = sandboxJson(req, res);
    if (!body) return true;
    const def = typeof body.method === "string" ? this.methods[body.method] : undefined;
    if (!def) {
      sendJson(res, 400, { ok: false, error: `method must be one of ${Object.keys(this.methods).join(", ")}` });
      return true;
    }
    const code = typeof body.code === "string" ? body.code : "";
    const page = def.table.query({ code }, 0, 1);
    const idx = page.items.length ? def.table.ds.indexOfCode(code) : -1;
    if (idx < 0) {
      sendJson(res, 404, { ok: false, error: `no record with code ${code}` });
      return true;
    }
    const set = body.set;
    if (typeof set !== "object" || set === null || Array.isArray(set)) {
      sendJson(res, 400, { ok: false, error: "set must be an object of field → value" });
      return true;
    }
    const current = page.items[0];
    for (const k of Object.keys(set)) {
      if (k === "code" || k === "id" || !(k in current)) {
        sendJson(res, 400, { ok: false, error: `field ${k} cannot be set (unknown, or id/code)` });
        return true;
      }
    }
    const patch: Rec = { ...(set as Rec) };
    if (patch[def.modifyField] === undefined) patch[def.modifyField] = formatCst(Date.now());
    else if (Number.isNaN(parseCst(String(patch[def.modifyField])))) {
      sendJson(res, 400, { ok: false, error: `${def.modifyField} must be yyyy-MM-dd HH:mm:ss` });
      return true;
    }
    const record = def.table.override(idx, patch);
    sendJson(res, 200, { ok: true, record });
    return true;
  }
}

/** Starts the Guanyi simulator. Base URL for clients: `${url}/rest/erp_open`. */
export async function startGuanyiSimulator(opts: StartOptions = {}): Promise<SimulatorHandle> {
  const app = new GuanyiApp(opts.config ?? {});
  return serve(app, opts);
}
