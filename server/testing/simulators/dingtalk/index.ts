/**
 * 钉钉 (DingTalk) old-OpenAPI (oapi) approvals simulator:
 * `GET /gettoken`, `POST /topapi/processinstance/listids`, `POST /topapi/processinstance/get`.
 *
 * Why this exists: connectors and engine tests need a DingTalk that issues and expires tokens,
 * pages instance ids by cursor, serves full instance details and enforces the per-app per-API
 * QPS limit — all as in /work/shared/reference/dingtalk-oa.md — without network access.
 *
 * Fault queue `vendorError` names: "busy" (-1), "qps" (90018), "global" (90002), "quota" (90020),
 * "tokenExpired" (42001), "tokenInvalid" (40014), "permission" (88 / sub_code 60011), "ipBan" (the
 * per-IP deny body {"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":…}).
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import {
  BASE_DEFAULTS,
  SimCore,
  sendJson,
  serve,
  type BaseConfig,
  type SimRequest,
  type SimulatorHandle,
  type StartOptions,
  type VendorApp,
} from "../common/core";
import { LazyTable } from "../common/lazy";
import { sandboxOrgState } from "../common/org";
import { PROCESS_TEMPLATES, approvalDataset, indexOfInstanceId, instanceId, outcomeOf, startTime, type GenParams, type Instance } from "./data";

/** Fixed demo credentials of the sandbox enterprise-internal app. */
export const DINGTALK_CREDENTIALS = {
  appkey: "dingsqsandbox7x3kq9",
  appsecret: "SqSandboxAppSecret_4f9c2e7a1b8d6053c0e1f2a3b4c5d6e7",
  agentId: "3089001234",
} as const;

export interface DingtalkConfig extends BaseConfig {
  approvals: number;
  /** ISO instant the seeded instances are relative to; "" = simulator start */
  anchor: string;
  /** max listids start–end span in days; 0 = unlimited */
  maxSpanDays: number;
}

export const DINGTALK_DEFAULTS: DingtalkConfig = {
  ...BASE_DEFAULTS,
  sessionTtlSec: 7200,
  qps: 20,
  approvals: 300,
  anchor: "",
  maxSpanDays: 120,
};

// CHOICE: DingTalk error codes used by the simulator (HTTP 200, errcode a JSON number):
//   40089 bad appkey/appsecret · 40014 unknown/missing access_token · 42001 expired token
//   40035 invalid/missing parameter (incl. size > 20, unknown process_code / instance id,
//         span > maxSpanDays, non-JSON body) · 43002 wrong HTTP method · 90018 per-app QPS
//   -1 busy · 90002 global limit · 90020 monthly quota · 88/60011 no permission.
const ERR = {
  badApp: { errcode: 40089, errmsg: "不合法的appKey或appSecret" },
  tokenInvalid: { errcode: 40014, errmsg: "不合法的access_token" },
  tokenExpired: { errcode: 42001, errmsg: "access_token已过期" },
  param: { errcode: 40035, errmsg: "不合法的参数" },
  method: { errcode: 43002, errmsg: "需要POST请求" },
  qps: { errcode: 90018, errmsg: "当前应用调用该接口的频率已超过每秒钟访问次数限制，请稍后再试" },
  busy: { errcode: -1, errmsg: "系统繁忙" },
  global: { errcode: 90002, errmsg: "当前接口调用已超过全局访问频率限制，请稍后再试" },
  quota: { errcode: 90020, errmsg: "您的企业本月api调用量已超过限制，请升级版本或下月再试" },
} as const;

const MAX_SIZE = 20;

interface TokenInfo {
  appkey: string;
  expiresAt: number;
}

function requestId(): string {
  return randomBytes(6).toString("hex");
}

function intParam(v: unknown): number | undefined | null {
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

class DingtalkApp implements VendorApp {
  readonly name = "dingtalk" as const;
  readonly core: SimCore<DingtalkConfig>;
  readonly credentials: Record<string, string> = { ...DINGTALK_CREDENTIALS };
  private table: LazyTable<Instance>;
  private tokens = new Map<string, TokenInfo>();
  private currentToken = new Map<string, string>();

  constructor(config: Record<string, unknown>) {
    this.core = new SimCore<DingtalkConfig>("dingtalk", DINGTALK_DEFAULTS, config);
    this.table = new LazyTable(approvalDataset(() => this.params()));
  }

  private params(): GenParams {
    const a = this.core.config.anchor;
    const t = a ? Date.parse(a) : NaN;
    return {
      seed: this.core.config.seed >>> 0,
      anchorMs: Math.floor((Number.isNaN(t) ? this.core.startedAt : t) / 1000) * 1000,
      size: Math.floor(this.core.config.approvals),
    };
  }

  state(): Record<string, unknown> {
    const g = this.params();
    const counts = PROCESS_TEMPLATES.map(() => ({ total: 0, completedAgree: 0 }));
    if (g.size <= 200_000) {
      for (let i = 0; i < g.size; i++) {
        const c = counts[i % PROCESS_TEMPLATES.length];
        c.total++;
        const o = outcomeOf(g.seed, i);
        if (o.status === "COMPLETED" && o.result === "agree") c.completedAgree++;
      }
    }
    return {
      endpoints: { gettoken: "/gettoken", listids: "/topapi/processinstance/listids", get: "/topapi/processinstance/get" },
      datasets: { approvals: g.size },
      processCodes: PROCESS_TEMPLATES.map((t, k) => ({ ...t, instances: counts[k].total, completedAgree: counts[k].completedAgree })),
      seededWindow: {
        startMs: g.size ? startTime(g, 0) : null,
        endMs: g.size ? startTime(g, g.size - 1) : null,
      },
      liveTokens: [...this.tokens.values()].filter((t) => t.expiresAt > Date.now()).length,
      ...sandboxOrgState(),
    };
  }

  reset(): void {
    this.tokens.clear();
    this.currentToken.clear();
    this.table.clearOverrides();
  }

  private send(res: ServerResponse, op: string, body: Record<string, unknown>): void {
    if (typeof body.errcode === "number" && body.errcode !== 0) this.core.countError(op, body.errcode);
    sendJson(res, 200, { ...body, request_id: requestId() });
  }

  private err(res: ServerResponse, op: string, e: { errcode: number; errmsg: string }, detail?: string): void {
    this.send(res, op, { errcode: e.errcode, errmsg: detail ? `${e.errmsg}: ${detail}` : e.errmsg });
  }

  private vendorFault(res: ServerResponse, op: string, name: string | undefined): boolean {
    if (!name) return false;
    if (name === "ipBan") {
      // CHOICE: the per-IP ban answers HTTP 200 with the deny JSON instead of the envelope.
      this.core.countError(op, "ipBan");
      sendJson(res, 200, { status: 1111, wait: 5, source: "x5", punish: "deny", uuid: randomBytes(16).toString("hex") });
      return true;
    }
    if (name === "permission") {
      this.send(res, op, { errcode: 88, sub_code: "60011", sub_msg: "没有调用该接口的权限", errmsg: "ding talk error[subcode=60011,submsg=没有调用该接口的权限]" });
      return true;
    }
    const e = (ERR as Record<string, { errcode: number; errmsg: string }>)[name];
    if (!e) return false;
    this.err(res, op, e);
    return true;
  }

  async handle(req: SimRequest, res: ServerResponse): Promise<void> {
    const path = req.path.replace(/^\/+/, "");
    if (path === "gettoken") return this.getToken(req, res);
    if (path === "topapi/processinstance/listids" || path === "topapi/processinstance/get") {
      const pf = await this.core.preflight(path, req.raw, res);
      if (pf.done) return;
      if (req.method !== "POST") return this.err(res, path, ERR.method);
      const tokenErr = this.checkToken(req.query.get("access_token"));
      if (tokenErr) return this.err(res, path, tokenErr);
      const appkey = this.tokens.get(req.query.get("access_token") ?? "")?.appkey ?? "";
      // CHOICE: QPS limit is per appkey + API path (fixed one-second windows) → 90018.
      if (!this.core.rate.take(`${appkey}|${path}`, this.core.config.qps)) {
        this.core.faults.rateLimited++;
        return this.err(res, path, ERR.qps);
      }
      if (this.vendorFault(res, path, pf.vendorError)) return;
      let body: Record<string, unknown>;
      try {
        const text = req.body.toString("utf8").trim();
        const v: unknown = text === "" ? {} : JSON.parse(text);
        if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
        body = v as Record<string, unknown>;
      } catch {
        return this.err(res, path, ERR.param, "请求体不是合法的JSON对象");
      }
      if (path.endsWith("listids")) return this.listIds(body, res, path);
      return this.getInstance(body, res, path);
    }
    sendJson(res, 404, { errcode: 404, errmsg: "请求的URI地址不存在", request_id: requestId() });
  }

  private async getToken(req: SimRequest, res: ServerResponse): Promise<void> {
    const op = "gettoken";
    const pf = await this.core.preflight(op, req.raw, res);
    if (pf.done) return;
    // Current form appkey/appsecret; the pre-appkey corpid/corpsecret form is accepted too.
    const appkey = req.query.get("appkey") ?? req.query.get("corpid") ?? "";
    const secret = req.query.get("appsecret") ?? req.query.get("corpsecret") ?? "";
    if (!this.core.rate.take(`${appkey}|${op}`, this.core.config.qps)) {
      this.core.faults.rateLimited++;
      return this.err(res, op, ERR.qps);
    }
    if (this.vendorFault(res, op, pf.vendorError)) return;
    if (appkey !== this.credentials.appkey || secret !== this.credentials.appsecret) return this.err(res, op, ERR.badApp);
    const now = Date.now();
    const ttlMs = this.core.config.sessionTtlSec * 1000;
    let token = this.currentToken.get(appkey);
    let info = token ? this.tokens.get(token) : undefined;
    // CHOICE: within its validity a repeated gettoken returns the same token and does NOT
    // extend it; expires_in is the remaining lifetime in seconds.
    if (!token || !info || info.expiresAt <= now) {
      token = randomBytes(16).toString("hex");
      info = { appkey, expiresAt: now + ttlMs };
      this.tokens.set(token, info);
      this.currentToken.set(appkey, token);
      if (this.tokens.size > 10_000) {
        for (const [k, v] of this.tokens) if (v.expiresAt < now - 86_400_000) this.tokens.delete(k);
      }
    }
    this.send(res, op, { errcode: 0, errmsg: "ok", access_token: token, expires_in: Math.max(0, Math.round((info.expiresAt - now) / 1000)) });
  }

  private checkToken(token: string | null): { errcode: number; errmsg: string } | null {
    if (!token) return ERR.tokenInvalid;
    const info = this.tokens.get(token);
    if (!info) return ERR.tokenInvalid;
    if (info.expiresAt <= Date.now()) return ERR.tokenExpired;
    return null;
  }

  private listIds(body: Record<string, unknown>, res: ServerResponse, op: string): void {
    const code = body.process_code;
    if (typeof code !== "string" || code === "") return this.err(res, op, ERR.param, "process_code不能为空");
    const tplIdx = PROCESS_TEMPLATES.findIndex((t) => t.process_code === code);
    if (tplIdx < 0) return this.err(res, op, ERR.param, `process_code ${code} 不存在`);
    const start = intParam(body.start_time);
    if (start === undefined || start === null || start < 0) return this.err(res, op, ERR.param, "start_time必须是毫秒时间戳");
    const endP = intParam(body.end_time);
    if (endP === null) return this.err(res, op, ERR.param, "end_time必须是毫秒时间戳");
    const end = endP ?? Date.now();
    const size = intParam(body.size);
    if (size === null || (size !== undefined && size < 1)) return this.err(res, op, ERR.param, "size必须是正整数");
    // CHOICE: size defaults to 20; above 20 is an error (not clamped).
    if (size !== undefined && size > MAX_SIZE) return this.err(res, op, ERR.param, `size不能超过${MAX_SIZE}`);
    const cursor = intParam(body.cursor);
    if (cursor === null || (cursor !== undefined && cursor < 0)) return this.err(res, op, ERR.param, "cursor必须是非负整数");
    const maxSpan = this.core.config.maxSpanDays;
    // CHOICE: the start–end span is limited to maxSpanDays (default 120) → 40035 above it.
    if (maxSpan > 0 && end - start > maxSpan * 86_400_000)
      return this.err(res, op, ERR.param, `时间跨度不能超过${maxSpan}天`);
    let residual: ((r: Instance) => boolean) | undefined;
    let users: string[] = [];
    if (body.userid_list !== undefined && body.userid_list !== null && body.userid_list !== "") {
      if (typeof body.userid_list !== "string") return this.err(res, op, ERR.param, "userid_list必须是逗号分隔的字符串");
      users = body.userid_list.split(",").map((s) => s.trim()).filter(Boolean);
      const set = new Set(users);
      residual = (r) => set.has(r.originator_userid);
    }
    const pageSize = size ?? MAX_SIZE;
    const offset = cursor ?? 0;
    // CHOICE: start_time ≤ create_time ≤ end_time (both inclusive); ids ordered by create time.
    const page = this.table.queryIndices(
      {
        window: { field: "create_time", from: start, to: end },
        mod: { m: PROCESS_TEMPLATES.length, k: tplIdx },
        residual,
        residualKey: users.join(","),
      },
      offset,
      pageSize,
    );
    const seed = this.params().seed;
    const result: Record<string, unknown> = { list: page.idx.map((i) => instanceId(seed, i)) };
    // next_cursor is absent on the last page (sheet §3).
    if (offset + pageSize < page.total) result.next_cursor = offset + pageSize;
    this.send(res, op, { errcode: 0, errmsg: "ok", result });
  }

  private getInstance(body: Record<string, unknown>, res: ServerResponse, op: string): void {
    const id = body.process_instance_id;
    if (typeof id !== "string" || id === "") return this.err(res, op, ERR.param, "process_instance_id不能为空");
    const g = this.params();
    const i = indexOfInstanceId(g.seed, id);
    if (i < 0 || i >= g.size) return this.err(res, op, ERR.param, `审批实例 ${id} 不存在`);
    this.send(res, op, { errcode: 0, errmsg: "ok", process_instance: this.table.get(i) });
  }
}

/** Starts the DingTalk simulator. Clients use `${url}` where they would use https://oapi.dingtalk.com. */
export async function startDingtalkSimulator(opts: StartOptions = {}): Promise<SimulatorHandle> {
  const app = new DingtalkApp(opts.config ?? {});
  return serve(app, opts);
}
