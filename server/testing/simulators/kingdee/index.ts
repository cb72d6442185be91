/**
 * 金蝶云星空 K3Cloud WebAPI simulator: `POST /k3cloud/<ServiceFullName>.common.kdsvc`.
 *
 * Why this exists: the target side of every scheme (BatchSave, ExecuteBillQuery, Audit…) must be
 * testable without a real K3Cloud. This server follows /work/shared/reference/kingdee-k3cloud.md:
 * login services and per-request signature headers, the session cookie, both body encodings, the
 * ResponseStatus envelope (HTTP 200 for business errors), BatchSave partial failure by DIndex,
 * real validation and uniqueness, the audit state machine, and ExecuteBillQuery with a real
 * FilterString parser. Base URL for clients: `${url}/k3cloud/`.
 *
 * Sandbox hooks (besides /__sandbox/state|config|reset):
 *   GET /__sandbox/documents?formId=BD_Customer&offset=0&limit=100
 *     → {formId, count, duplicates, duplicateKeys, createdMoreThanOnce, createdMoreThanOnceKeys,
 *        documents:[…]}  (duplicates: (org, number) stored more than once; createdMoreThanOnce:
 *        (org, number) created more than once over time, e.g. created, deleted, created again)
 * Fault queue `vendorError` names: "sessionLost" (MsgCode 1), "callLimit" (MsgCode 14),
 * "exception" (MsgCode 4).
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
import { sandboxOrgState } from "../common/org";
import { VALID_LCIDS, loginBySignValue, verifySignedHeaders } from "./auth";
import { FORMS, formOf, type FormDef } from "./forms";
import { QueryError, Store, getCI, type Doc, type RowError, type SaveOptions } from "./store";

/** Fixed demo credentials of the sandbox data centre. appId = `<clientId>_<base64 of 24 bytes>`. */
export const KINGDEE_CREDENTIALS = {
  acctId: "6620f1a2b3c4d5",
  username: "demo",
  password: "Shuqiao@2026",
  appId: "228866_U2h1cWlhb1NhbmRib3hLaW5nZGVlITI0",
  appSecret: "7c1f3e9a5b2d4f6081a3c5e7f9b1d3e5",
  lcid: "2052",
  orgNum: "100",
} as const;

export interface KingdeeConfig extends BaseConfig {
  /** false = a tenant without number uniqueness (duplicates become visible in /documents) */
  uniqueNumbers: boolean;
}

export const KINGDEE_DEFAULTS: KingdeeConfig = {
  ...BASE_DEFAULTS,
  // CHOICE: idle session expiry 1800 s by default (real value unconfirmed; observed 30–90 min).
  sessionTtlSec: 1800,
  uniqueNumbers: true,
};

const SERVICE_PREFIX = "kingdee.bos.webapi.servicesstub.";
const DATACENTER_SERVICE = "kingdee.bos.servicefacade.servicesstub.account.accountservice.getdatacenterlist";
const FORM_OPS = ["Save", "BatchSave", "View", "ExecuteBillQuery", "BillQuery", "Submit", "Audit", "UnAudit", "Delete"] as const;
type FormOp = (typeof FORM_OPS)[number];
const KNOWN_UNSUPPORTED = ["Draft", "Allocate", "CancelAllocate", "ExcuteOperation", "Push", "FlexSave", "GroupSave", "Disassembly", "QueryBusinessInfo", "QueryGroupInfo", "WorkflowAudit", "GroupDelete", "SendMsg", "CancelAssign", "QueryAsyncResult"];

const SESSION_LOST = "会话信息已丢失，请重新登录";

interface Session {
  user: string;
  lastSeen: number;
}

export interface ResponseStatus {
  ErrorCode: number;
  IsSuccess: boolean;
  Errors: (RowError & { DIndex: number })[];
  SuccessEntitys: { Id: number; Number: string; DIndex: number }[];
  SuccessMessages: unknown[];
  MsgCode: number;
}

function rs(isSuccess: boolean, msgCode: number, errors: ResponseStatus["Errors"] = [], ok: ResponseStatus["SuccessEntitys"] = []): ResponseStatus {
  return { ErrorCode: isSuccess ? 0 : 500, IsSuccess: isSuccess, Errors: errors, SuccessEntitys: ok, SuccessMessages: [], MsgCode: isSuccess ? 0 : msgCode };
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === "") return dflt;
  if (typeof v === "boolean") return v;
  return v === "true" || v === "True" || v === 1 || v === "1";
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => typeof x === "string" || typeof x === "number").map(String);
  if (typeof v === "string" && v.trim()) return v.split(",").map((s) => s.trim()).filter(Boolean);
  return [];
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

class KingdeeApp implements VendorApp {
  readonly name = "kingdee" as const;
  readonly core: SimCore<KingdeeConfig>;
  readonly credentials: Record<string, string> = { ...KINGDEE_CREDENTIALS };
  readonly store = new Store();
  private sessions = new Map<string, Session>();

  constructor(config: Record<string, unknown>) {
    this.core = new SimCore<KingdeeConfig>("kingdee", KINGDEE_DEFAULTS, config);
  }

  state(): Record<string, unknown> {
    const now = Date.now();
    const documents: Record<string, number> = {};
    for (const [id, t] of this.store.tables) documents[id] = t.live;
    return {
      baseUrlPath: "/k3cloud/",
      forms: Object.values(FORMS).map((f) => ({ formId: f.formId, name: f.name, idField: f.idField, numberField: f.numberField, orgField: f.orgField })),
      documents,
      liveSessions: [...this.sessions.values()].filter((s) => now - s.lastSeen < this.core.config.sessionTtlSec * 1000).length,
      ...sandboxOrgState(),
    };
  }

  reset(): void {
    this.store.reset();
    this.sessions.clear();
  }

  // ------------------------------------------------------------ sessions

  private newSession(user: string): { sid: string; cookies: string[] } {
    const sid = randomBytes(16).toString("hex");
    this.sessions.set(sid, { user, lastSeen: Date.now() });
    if (this.sessions.size > 50_000) {
      const cut = Date.now() - this.core.config.sessionTtlSec * 1000;
      for (const [k, s] of this.sessions) if (s.lastSeen < cut) this.sessions.delete(k);
    }
    // No Expires attribute: the official Python SDK splits Set-Cookie on ','.
    return { sid, cookies: [`kdservice-sessionid=${sid}; path=/`, `ASP.NET_SessionId=${randomBytes(12).toString("hex")}; path=/; HttpOnly`] };
  }

  private liveSession(req: SimRequest): Session | undefined {
    const cookies = parseCookies(req.headers.cookie);
    const hdr = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    const sid = cookies["kdservice-sessionid"] || hdr("kdservice-sessionid") || hdr("sid");
    if (!sid) return undefined;
    const s = this.sessions.get(sid);
    if (!s) return undefined;
    const now = Date.now();
    if (now - s.lastSeen >= this.core.config.sessionTtlSec * 1000) {
      this.sessions.delete(sid);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  // ------------------------------------------------------------ responses

  private envelope(res: ServerResponse, op: string, status: ResponseStatus, extra: Record<string, unknown> = {}, cookies?: string[], asyncMode = false): void {
    if (!status.IsSuccess) this.core.countError(op, status.MsgCode);
    const isQuery = op === "ExecuteBillQuery" || op === "BillQuery";
    const body: unknown = isQuery ? [[{ Result: { ResponseStatus: status } }]] : { Result: { ResponseStatus: status, ...extra } };
    this.send(res, body, cookies, asyncMode);
  }

  private send(res: ServerResponse, body: unknown, cookies?: string[], asyncMode = false): void {
    const out = asyncMode ? { TaskId: randomBytes(8).toString("hex"), Status: 2, Result: body } : body;
    sendJson(res, 200, out, cookies ? { "set-cookie": cookies } : {});
  }

  private fail(res: ServerResponse, op: string, msgCode: number, message: string, cookies?: string[], asyncMode = false): void {
    this.envelope(res, op, rs(false, msgCode, [{ FieldName: null, Message: message, DIndex: 0 }]), {}, cookies, asyncMode);
  }

  // ------------------------------------------------------------ routing

  async handle(req: SimRequest, res: ServerResponse): Promise<void> {
    // CHOICE: an unknown service path → HTTP 404 with a `response_error:` body; the /k3cloud/ prefix
    // is matched case-insensitively (/K3Cloud/ works too).
    const m = /^\/k3cloud\/(.+)\.common\.kdsvc$/i.exec(req.path);
    if (!m || req.method !== "POST") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`response_error:${JSON.stringify({ Message: `服务不存在：${req.path}`, InnerExWrapper: null, InnerException: null })}`);
      return;
    }
    const service = m[1];
    const ls = service.toLowerCase();
    const op = service.slice(service.lastIndexOf(".") + 1);
    const isAuth = ls.startsWith(`${SERVICE_PREFIX}authservice.`);
    const isForm = ls.startsWith(`${SERVICE_PREFIX}dynamicformservice.`);
    if (ls !== DATACENTER_SERVICE && !isAuth && !isForm) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`response_error:${JSON.stringify({ Message: `服务不存在：${service}`, InnerExWrapper: null, InnerException: null })}`);
      return;
    }
    const pf = await this.core.preflight(op, req.raw, res);
    if (pf.done) return;

    let body: Record<string, unknown>;
    try {
      const text = req.body.toString("utf8").trim();
      const v: unknown = text === "" ? {} : JSON.parse(text);
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
      body = v as Record<string, unknown>;
    } catch {
      this.fail(res, op, 8, "请求数据包不是合法的JSON对象");
      return;
    }
    const asyncMode = getCI(body, "beginmethod").value === "BeginQueryImpl";

    if (ls === DATACENTER_SERVICE) {
      this.send(res, [{ Id: this.credentials.acctId, Number: "SQ01", Name: "数桥演示账套", DataBaseType: 3, Version: "8.2.0", CreateTime: "2024-01-01T00:00:00" }]);
      return;
    }
    if (isAuth) return this.login(op, body, res);

    // authentication: a live session wins; otherwise the signature headers; otherwise lost
    let session = this.liveSession(req);
    let cookies: string[] | undefined;
    if (!session) {
      const v = verifySignedHeaders(req.headers, req.path, {
        appId: this.credentials.appId,
        appSecret: this.credentials.appSecret,
        acctId: this.credentials.acctId,
        userName: this.credentials.username,
      });
      // CHOICE: a wrong AcctId in X-Kd-Appdata → HTTP 500, body `response_error:{"Message":"Fail to
      // verify thirty passport.",…}` (sheet: "non-200 HTTP"; exact status unconfirmed).
      if (v.kind === "badAcct") {
        this.core.countError(op, "passport");
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`response_error:${JSON.stringify({ Message: "Fail to verify thirty passport.", InnerExWrapper: null, InnerException: null })}`);
        return;
      }
      if (v.kind !== "ok") return this.fail(res, op, 1, SESSION_LOST, undefined, asyncMode);
      const s = this.newSession(v.userName);
      cookies = s.cookies;
      session = this.sessions.get(s.sid) as Session;
    }
    // CHOICE: the QPS limit is per user + operation → MsgCode 14.
    if (!this.core.rate.take(`${session.user}|${op}`, this.core.config.qps)) {
      this.core.faults.rateLimited++;
      return this.fail(res, op, 14, "接口调用次数超过限制，请稍后再试", cookies, asyncMode);
    }
    if (pf.vendorError === "sessionLost") return this.fail(res, op, 1, SESSION_LOST, cookies, asyncMode);
    if (pf.vendorError === "callLimit") return this.fail(res, op, 14, "接口调用次数超过限制，请稍后再试", cookies, asyncMode);
    if (pf.vendorError === "exception") return this.fail(res, op, 4, "服务端异常（模拟）", cookies, asyncMode);

    const fop = FORM_OPS.find((x) => x.toLowerCase() === op.toLowerCase());
    if (!fop) {
      const known = KNOWN_UNSUPPORTED.some((x) => x.toLowerCase() === op.toLowerCase());
      return this.fail(res, op, 4, known ? `模拟器未实现操作${op}` : `服务${op}不存在`, cookies, asyncMode);
    }
    // parameters: positional {"parameters":[formId, data]} / [data] for queries, or named {formid, data}
    let formId: unknown;
    let data: unknown;
    const isQuery = fop === "ExecuteBillQuery" || fop === "BillQuery";
    const params = body.parameters;
    if (Array.isArray(params)) {
      if (isQuery) data = params[0];
      else [formId, data] = params;
    } else {
      formId = getCI(body, "formid").value;
      data = getCI(body, "data").value;
    }
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch {
        return this.fail(res, fop, 8, "data 数据包不是合法的JSON", cookies, asyncMode);
      }
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return this.fail(res, fop, 8, "data 数据包不能为空，且必须是JSON对象", cookies, asyncMode);
    }
    const d = data as Record<string, unknown>;
    if (isQuery) formId = getCI(d, "FormId").value;
    if (typeof formId !== "string" || formId.trim() === "") return this.fail(res, fop, 5, "表单标识FormId不能为空", cookies, asyncMode);
    const form = formOf(formId.trim());
    if (!form) return this.fail(res, fop, 4, `标识为“${formId}”的业务对象不存在，或者被删除`, cookies, asyncMode);

    const ctx = { res, op: fop, cookies, asyncMode };
    switch (fop) {
      case "Save":
      case "BatchSave":
        return this.save(form, d, ctx);
      case "View":
        return this.view(form, d, ctx);
      case "ExecuteBillQuery":
      case "BillQuery":
        return this.query(form, d, ctx);
      default:
        return this.operate(form, fop, d, ctx);
    }
  }

  // ------------------------------------------------------------ login

  private login(op: string, body: Record<string, unknown>, res: ServerResponse): void {
    const p = Array.isArray(body.parameters) ? body.parameters.map((x) => (x === null || x === undefined ? "" : String(x))) : null;
    const named = (k: string) => {
      const v = getCI(body, k).value;
      return v === null || v === undefined ? "" : String(v);
    };
    const c = this.credentials;
    let acct: string;
    let user: string;
    let lcid: string;
    let ok = false;
    let why = "";
    const lop = op.toLowerCase();
    if (lop === "validateuser") {
      [acct, user, lcid] = p ? [p[0], p[1], p[3]] : [named("acctID"), named("username"), named("lcid")];
      const pwd = p ? p[2] : named("password");
      ok = acct === c.acctId && user === c.username && pwd === c.password;
      why = "用户名或密码错误！";
    } else if (lop === "loginbyappsecret") {
      [acct, user, lcid] = p ? [p[0], p[1], p[4]] : [named("acctID"), named("username"), named("lcid")];
      const [appId, appSecret] = p ? [p[2], p[3]] : [named("appid"), named("appsecret")];
      ok = acct === c.acctId && user === c.username && appId === c.appId && appSecret === c.appSecret;
      why = "第三方系统登录授权验证失败：应用ID或应用密钥错误";
    } else if (lop === "loginbysign") {
      [acct, user, lcid] = p ? [p[0], p[1], p[5]] : [named("acctID"), named("username"), named("lcid")];
      const [appId, ts, sign] = p ? [p[2], p[3], p[4]] : [named("appid"), named("timestamp"), named("sign")];
      // CHOICE: LoginBySign's timestamp window is not enforced (like the signature headers).
      ok = acct === c.acctId && user === c.username && appId === c.appId && sign.toLowerCase() === loginBySignValue(acct, user, appId, c.appSecret, ts);
      why = "签名验证失败";
    } else {
      this.fail(res, op, 4, `服务${op}不存在`);
      return;
    }
    if (acct !== c.acctId) why = `数据中心“${acct}”不存在`;
    if (ok && !VALID_LCIDS.has(Number(lcid || 2052))) {
      ok = false;
      why = `语言${lcid}不可用`;
    }
    if (!ok) {
      this.core.countError(op, "login");
      // CHOICE: failed login → LoginResultType 0, IsSuccessByAPI false, KDSVCSessionId null.
      this.send(res, { Message: why, MessageCode: "CheckPasswordPolicy", LoginResultType: 0, Context: null, KDSVCSessionId: null, FormId: null, RedirectFormParam: null, FormInputObject: null, ErrorStackTrace: null, Lcid: 0, AccessToken: null, CustomParam: {}, KdAccessResult: null, IsSuccessByAPI: false });
      return;
    }
    const s = this.newSession(user);
    const lc = Number(lcid || 2052);
    this.send(
      res,
      {
        Message: null,
        MessageCode: "CheckPasswordPolicy",
        LoginResultType: 1,
        Context: {
          UserLocale: "zh-CN",
          LogLocale: "zh-CN",
          DBid: c.acctId,
          DatabaseType: 3,
          SessionId: s.sid,
          UseLanguages: [{ LocaleId: 2052, LocaleName: "中文(简体)", Alias: "CN" }],
          UserId: 100008,
          UserName: user,
          CustomName: "数桥演示账套",
          DisplayVersion: "8.2.0",
          DataCenterName: "数桥演示账套",
          UserToken: randomBytes(16).toString("hex"),
          CurrentOrganizationInfo: { ID: 1, AcctOrgType: "1", Name: "数桥集团", FunctionIds: [101, 102, 103, 104] },
          IsCH_ZH_AutoTrans: false,
          ClientType: 32,
          WeiboAuthInfo: null,
          UTimeZone: { OffsetTicks: 288000000000, StandardName: "(UTC+08:00)北京，重庆，香港特别行政区，乌鲁木齐", Id: 230, Number: "1078_SYS", CanBeUsed: true },
          STimeZone: { OffsetTicks: 288000000000, StandardName: "(UTC+08:00)北京，重庆，香港特别行政区，乌鲁木齐", Id: 230, Number: "1078_SYS", CanBeUsed: true },
          GDCID: "",
          Gsid: null,
          TRLevel: 0,
          ProductEdition: 0,
          DataCenterNumber: "SQ01",
        },
        KDSVCSessionId: s.sid,
        FormId: null,
        RedirectFormParam: null,
        FormInputObject: null,
        ErrorStackTrace: null,
        Lcid: lc,
        AccessToken: null,
        CustomParam: {},
        KdAccessResult: null,
        IsSuccessByAPI: true,
      },
      s.cookies,
    );
  }

  // ------------------------------------------------------------ operations

  private save(form: FormDef, d: Record<string, unknown>, ctx: { res: ServerResponse; op: FormOp; cookies?: string[]; asyncMode: boolean }): void {
    const { res, op, cookies, asyncMode } = ctx;
    const model = getCI(d, "Model").value;
    if (model === undefined || model === null || (Array.isArray(model) && model.length === 0)) {
      return this.fail(res, op, 8, "data 数据包中的参数 Model 的值不能为空", cookies, asyncMode);
    }
    const rate = this.core.config.rowFailureRate;
    const opts: SaveOptions = {
      needUpdateFields: strList(getCI(d, "NeedUpDateFields").value),
      needReturnFields: strList(getCI(d, "NeedReturnFields").value),
      isDeleteEntry: bool(getCI(d, "IsDeleteEntry").value, true),
      verifyBaseData: bool(getCI(d, "IsVerifyBaseDataField").value, false),
      autoAudit: bool(getCI(d, "IsAutoSubmitAndAudit").value, false),
      validateRepeatJson: bool(getCI(d, "ValidateRepeatJson").value, false),
      uniqueNumbers: this.core.config.uniqueNumbers,
      injectFailure: () => this.core.rng.chance(rate),
    };
    // CHOICE: BatchSave with a non-array Model treats it as a one-row batch; Save with an array
    // Model is a parameter error (MsgCode 8).
    if (op === "Save" && Array.isArray(model)) return this.fail(res, op, 8, "Save 的 Model 必须是单个对象，批量请使用 BatchSave", cookies, asyncMode);
    const rows = Array.isArray(model) ? model : [model];
    const errors: ResponseStatus["Errors"] = [];
    const ok: ResponseStatus["SuccessEntitys"] = [];
    const returnData: Record<string, unknown>[] = [];
    rows.forEach((row, i) => {
      const r = this.store.save(form, row, opts);
      if (r.ok) {
        // CHOICE: Id is a JSON number (the internal id), Number the business number.
        ok.push({ Id: r.id, Number: r.number, DIndex: i });
        if (r.returnData) returnData.push(r.returnData);
      } else for (const e of r.errors) errors.push({ ...e, DIndex: i });
    });
    // CHOICE: any failed row → IsSuccess false, MsgCode 11; saved rows stay saved and are listed.
    const status = rs(errors.length === 0, 11, errors, ok);
    const extra: Record<string, unknown> = {};
    if (op === "Save" && ok.length) {
      extra.Id = ok[0].Id;
      extra.Number = ok[0].Number;
    }
    extra.NeedReturnData = returnData;
    this.envelope(res, op, status, extra, cookies, asyncMode);
  }

  private view(form: FormDef, d: Record<string, unknown>, ctx: { res: ServerResponse; op: FormOp; cookies?: string[]; asyncMode: boolean }): void {
    const { res, op, cookies, asyncMode } = ctx;
    const t = this.store.table(form.formId);
    const idRaw = getCI(d, "Id").value;
    const numRaw = getCI(d, "Number").value;
    const orgId = Number(getCI(d, "CreateOrgId").value ?? 0) || 0;
    let doc: Doc | undefined;
    if (idRaw !== undefined && idRaw !== null && idRaw !== "" && Number(idRaw) > 0) doc = t.byId(Number(idRaw));
    else if (typeof numRaw === "string" && numRaw) doc = t.findByNumber(numRaw, orgId)[0];
    else return this.fail(res, op, 8, "Number和Id不能同时为空", cookies, asyncMode);
    // CHOICE: View of a missing document → MsgCode 10 (data not found).
    if (!doc) return this.fail(res, op, 10, `${form.name}不存在或已被删除`, cookies, asyncMode);
    this.envelope(res, op, rs(true, 0), { Result: this.store.renderView(form, doc) }, cookies, asyncMode);
  }

  private operate(form: FormDef, op: "Submit" | "Audit" | "UnAudit" | "Delete", d: Record<string, unknown>, ctx: { res: ServerResponse; cookies?: string[]; asyncMode: boolean }): void {
    const { res, cookies, asyncMode } = ctx;
    const tg = this.store.targets(form, d);
    if ("error" in tg) return this.fail(res, op, 8, tg.error, cookies, asyncMode);
    const errors: ResponseStatus["Errors"] = [];
    const ok: ResponseStatus["SuccessEntitys"] = [];
    tg.docs.forEach((doc, i) => {
      if (typeof doc === "string") {
        errors.push({ FieldName: null, Message: doc, DIndex: i });
        return;
      }
      const err = this.store.operate(form, op, doc);
      if (err) errors.push({ FieldName: null, Message: err, DIndex: i });
      else ok.push({ Id: doc.id, Number: doc.number, DIndex: i });
    });
    this.envelope(res, op, rs(errors.length === 0, 11, errors, ok), {}, cookies, asyncMode);
  }

  private query(form: FormDef, d: Record<string, unknown>, ctx: { res: ServerResponse; op: FormOp; cookies?: string[]; asyncMode: boolean }): void {
    const { res, op, cookies, asyncMode } = ctx;
    const fk = getCI(d, "FieldKeys").value;
    const keys = (Array.isArray(fk) ? fk.map(String) : typeof fk === "string" ? fk.split(",") : []).map((s) => s.trim()).filter(Boolean);
    if (keys.length === 0) return this.fail(res, op, 8, "data 数据包中的参数 FieldKeys 的值不能为空", cookies, asyncMode);
    const filterRaw = getCI(d, "FilterString").value;
    // CHOICE: FilterString must be a string (the array-of-filter-objects form is not supported).
    if (filterRaw !== undefined && filterRaw !== null && typeof filterRaw !== "string")
      return this.fail(res, op, 8, "FilterString 必须是字符串", cookies, asyncMode);
    const num = (k: string): number | null => {
      const v = getCI(d, k).value;
      if (v === undefined || v === null || v === "") return 0;
      const n = Number(v);
      return Number.isInteger(n) && n >= 0 ? n : null;
    };
    const startRow = num("StartRow");
    const limit = num("Limit");
    const top = num("TopRowCount");
    if (startRow === null || limit === null || top === null) return this.fail(res, op, 8, "StartRow、Limit、TopRowCount 必须是非负整数", cookies, asyncMode);
    const order = getCI(d, "OrderString").value;
    try {
      // CHOICE: Limit 0 means no page limit (all rows from StartRow); no server-side max.
      const rows = this.store.query(form, keys, (filterRaw as string | undefined) ?? "", typeof order === "string" ? order : "", startRow, limit, top);
      if (op === "BillQuery") {
        this.send(res, rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]]))), cookies, asyncMode);
      } else this.send(res, rows, cookies, asyncMode);
    } catch (e) {
      if (e instanceof QueryError) return this.fail(res, op, e.msgCode, e.message, cookies, asyncMode);
      throw e;
    }
  }

  // ------------------------------------------------------------ sandbox

  sandbox(req: SimRequest, res: ServerResponse): boolean {
    if (req.path !== "/__sandbox/documents" || req.method !== "GET") return false;
    const form = formOf(req.query.get("formId") ?? "");
    if (!form) {
      sendJson(res, 400, { ok: false, error: `formId must be one of ${Object.keys(FORMS).join(", ")}` });
      return true;
    }
    const t = this.store.table(form.formId);
    const offset = Math.max(0, Number(req.query.get("offset") ?? 0) || 0);
    const limit = Math.max(0, Number(req.query.get("limit") ?? 100) || 0);
    const duplicateKeys: { org: string; number: string; stored: number }[] = [];
    if (t.hasDuplicates) {
      const counts = new Map<string, number>();
      for (const doc of t.rows) if (doc) counts.set(`${doc.org}\u0001${doc.number}`, (counts.get(`${doc.org}\u0001${doc.number}`) ?? 0) + 1);
      for (const [k, n] of counts) {
        if (n < 2) continue;
        const [org, number] = k.split("\u0001");
        duplicateKeys.push({ org, number, stored: n });
      }
    }
    const again = [...t.createdAgain].map(([k, n]) => {
      const [org, number] = k.split("\u0001");
      return { org, number, created: n };
    });
    const documents: Record<string, unknown>[] = [];
    let seen = 0;
    for (const doc of t.rows) {
      if (!doc) continue;
      if (seen++ < offset) continue;
      if (documents.length >= limit) break;
      documents.push(this.store.renderPlain(form, doc));
    }
    sendJson(res, 200, {
      formId: form.formId,
      count: t.live,
      duplicates: duplicateKeys.length,
      duplicateKeys: duplicateKeys.slice(0, 1000),
      createdMoreThanOnce: again.length,
      createdMoreThanOnceKeys: again.slice(0, 1000),
      offset,
      limit,
      documents,
    });
    return true;
  }
}

/** Starts the Kingdee simulator. Clients use `${url}/k3cloud/` as the server URL. */
export async function startKingdeeSimulator(opts: StartOptions = {}): Promise<SimulatorHandle> {
  const app = new KingdeeApp(opts.config ?? {});
  return serve(app, opts);
}
