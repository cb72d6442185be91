/**
 * Kingdee K3Cloud authentication: log in (ValidateUser / LoginByAppSecret / LoginBySign) for a session
 * cookie, or sign every request with the Auth-Version 2.0 headers; replay the session cookies
 * (`kdservice-sessionid`, `ASP.NET_SessionId`) on every call; on MsgCode 1 ("会话信息已丢失") drop the
 * session and log in again once.
 *
 * Why this exists: a session is shared by every call of one identity, and a lost session mid-run must
 * cost one re-login, not a failed run. Wrong credentials fail fast with Kingdee's own message.
 */
import type { KingdeeAuth } from "../../schema";
import type { ConnectionConfig } from "../../types";
import { ConnectorError } from "../../errors";
import type { HttpResult } from "../http";
import type { AuthCallContext, AuthRuntime } from "./auth";
import { cleanExcerpt } from "../http";
import { describeStatus } from "../error-handler";
import { authExchange, credential, requireCredential, SingleFlight } from "./auth";
import { kingdeeLoginSign, kingdeeSignatureHeaders } from "./kingdee-signature";

const AUTH_SERVICE = "Kingdee.BOS.WebApi.ServicesStub.AuthService";

export function kingdeeBase(baseUrl: string): string {
  return baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
}

export type KingdeeMode = KingdeeAuth["mode"];

export function kingdeeSessionAuth(def: KingdeeAuth, conn: ConnectionConfig): AuthRuntime {
  const mode = (typeof conn.settings.authMode === "string" ? conn.settings.authMode : def.mode) as KingdeeMode;
  const lcid = Number(conn.settings.lcid ?? def.lcid) || 2052;
  const cookies = new Map<string, string>();
  let gen = 0;
  let loggedIn = false;
  const flight = new SingleFlight();

  const captureCookies = (res: HttpResult): void => {
    const list = typeof res.headers.getSetCookie === "function" ? res.headers.getSetCookie() : [];
    let changed = false;
    for (const c of list) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (cookies.get(name) !== value) {
        cookies.set(name, value);
        changed = true;
      }
    }
    if (changed) gen += 1;
  };

  const login = async (ctx: AuthCallContext): Promise<void> => {
    const asset = `kingdee.${mode}`;
    const acctId = requireCredential(conn, "acctId", "金蝶云星空", asset);
    const userName = credential(conn, "username") ?? requireCredential(conn, "userName", "金蝶云星空", asset);
    let parameters: unknown[];
    if (mode === "ValidateUser") {
      const password = requireCredential(conn, "password", "金蝶云星空", asset);
      ctx.redactor.add(password);
      parameters = [acctId, userName, password, lcid];
    } else {
      const appId = requireCredential(conn, "appId", "金蝶云星空", asset);
      const appSecret = requireCredential(conn, "appSecret", "金蝶云星空", asset);
      ctx.redactor.add(appSecret);
      if (mode === "LoginByAppSecret") {
        parameters = [acctId, userName, appId, appSecret, lcid];
      } else {
        const ts = String(Math.floor(Date.now() / 1000));
        const sign = kingdeeLoginSign(acctId, userName, appId, appSecret, ts);
        ctx.redactor.add(sign);
        parameters = [acctId, userName, appId, ts, sign, lcid];
      }
    }
    const url = new URL(`${AUTH_SERVICE}.${mode}.common.kdsvc`, kingdeeBase(conn.baseUrl));
    cookies.clear();
    const res = await authExchange(asset, { method: "POST", url, headers: {}, body: { parameters }, bodyEncoding: "json" }, ctx, "金蝶云星空");
    const body = (res.body ?? {}) as { LoginResultType?: unknown; KDSVCSessionId?: unknown; Message?: unknown; IsSuccessByAPI?: unknown };
    if (res.status === 404) {
      throw new ConnectorError({ failureType: "config", apiAsset: asset, httpStatus: 404, message: "金蝶云星空服务地址错误（HTTP 404）：请确认服务器地址形如 http://主机/k3cloud/" });
    }
    if (res.status >= 500 && !res.text.includes("Fail to verify")) {
      throw new ConnectorError({ failureType: "transient", apiAsset: asset, httpStatus: res.status, message: `金蝶云星空登录暂时失败（${describeStatus(res.status)}）` });
    }
    const ok = (body.LoginResultType === 1 || body.IsSuccessByAPI === true) && typeof body.KDSVCSessionId === "string" && body.KDSVCSessionId !== "";
    if (!ok) {
      const vendorMessage = ctx.redactor.text(typeof body.Message === "string" && body.Message ? body.Message : cleanExcerpt(res.text));
      throw new ConnectorError({
        failureType: "config",
        apiAsset: asset,
        httpStatus: res.status,
        vendorCode: body.LoginResultType === undefined ? undefined : String(body.LoginResultType),
        vendorMessage,
        message: `金蝶云星空登录失败：请检查数据中心 ID（acctId）/ 用户名 / ${mode === "ValidateUser" ? "密码" : "应用 ID / 应用密钥"}（金蝶返回：${vendorMessage}）`,
      });
    }
    captureCookies(res);
    const sid = body.KDSVCSessionId as string;
    ctx.redactor.add(sid);
    if (!cookies.has("kdservice-sessionid")) cookies.set("kdservice-sessionid", sid);
    for (const v of cookies.values()) ctx.redactor.add(v);
    gen += 1;
    loggedIn = true;
  };

  return {
    apply: async (req, ctx) => {
      if (mode === "Signature") {
        const appId = requireCredential(conn, "appId", "金蝶云星空", "kingdee.auth");
        const appSecret = requireCredential(conn, "appSecret", "金蝶云星空", "kingdee.auth");
        ctx.redactor.add(appSecret);
        const headers = kingdeeSignatureHeaders({
          appId,
          appSecret,
          acctId: requireCredential(conn, "acctId", "金蝶云星空", "kingdee.auth"),
          userName: credential(conn, "username") ?? requireCredential(conn, "userName", "金蝶云星空", "kingdee.auth"),
          lcid,
          orgNum: credential(conn, "orgNum") ?? 0,
          path: req.url.pathname,
          timestampSec: Math.floor(Date.now() / 1000),
        });
        ctx.redactor.add(headers["X-Api-Signature"]);
        ctx.redactor.add(headers["X-Kd-Signature"]);
        Object.assign(req.headers, headers);
      } else if (!loggedIn) {
        await flight.run(() => login(ctx));
      }
      if (cookies.size > 0) {
        const sid = cookies.get("kdservice-sessionid");
        if (sid) req.headers["kdservice-sessionid"] = sid;
        req.headers.cookie = ["Theme=standard", ...[...cookies].map(([k, v]) => `${k}=${v}`)].join("; ");
        for (const v of cookies.values()) ctx.redactor.add(v);
      }
      return gen;
    },
    onResponse: (res) => {
      captureCookies(res);
    },
    refresh: async (usedGen, ctx) => {
      if (usedGen !== gen) return; // already re-logged by a concurrent call
      cookies.clear();
      loggedIn = false;
      gen += 1;
      if (mode !== "Signature") await flight.run(() => login(ctx));
    },
  };
}
