/**
 * DingTalk access token: fetched with GET gettoken?appkey&appsecret, cached until shortly before
 * expiry, passed as the `access_token` query parameter, refreshed once when a call answers 40014
 * (invalid) or 42001 (expired).
 *
 * Why this exists: the token is shared by every call of an app; fetching it per call would double the
 * traffic and burn the gettoken budget. Concurrent callers that all see an expired token trigger one
 * refresh (single flight, and only if the token they used is still the current one).
 */
import type { DingTalkTokenAuth } from "../../schema";
import type { ConnectionConfig } from "../../types";
import { ConnectorError } from "../../errors";
import type { AuthCallContext, AuthRuntime } from "./auth";
import { cleanExcerpt } from "../http";
import { describeStatus } from "../error-handler";
import { authExchange, requireCredential, SingleFlight } from "./auth";

interface CachedToken {
  token: string;
  expiresAt: number;
  gen: number;
}

export function dingtalkTokenAuth(def: DingTalkTokenAuth, conn: ConnectionConfig): AuthRuntime {
  let cached: CachedToken | null = null;
  let gen = 0;
  const flight = new SingleFlight();

  const fetchToken = async (ctx: AuthCallContext): Promise<void> => {
    const appkey = requireCredential(conn, def.appkeyCredential, "钉钉", "dingtalk.gettoken");
    const appsecret = requireCredential(conn, def.appsecretCredential, "钉钉", "dingtalk.gettoken");
    ctx.redactor.add(appsecret);
    const url = new URL(def.tokenPath.replace(/^\//, ""), conn.baseUrl.endsWith("/") ? conn.baseUrl : `${conn.baseUrl}/`);
    url.searchParams.set("appkey", appkey);
    url.searchParams.set("appsecret", appsecret);
    const res = await authExchange("dingtalk.gettoken", { method: "GET", url, headers: {}, bodyEncoding: "none" }, ctx, "钉钉");
    const body = (res.body ?? {}) as { errcode?: unknown; errmsg?: unknown; access_token?: unknown; expires_in?: unknown };
    if (res.status >= 500 || res.status === 429) {
      throw new ConnectorError({ failureType: "transient", apiAsset: "dingtalk.gettoken", httpStatus: res.status, message: `钉钉获取 access_token 暂时失败（${describeStatus(res.status)}）` });
    }
    if (body.errcode !== 0 || typeof body.access_token !== "string") {
      const vendorMessage = typeof body.errmsg === "string" ? ctx.redactor.text(body.errmsg) : ctx.redactor.text(cleanExcerpt(res.text));
      const code = body.errcode === undefined ? undefined : String(body.errcode);
      const transient = body.errcode === -1 || body.errcode === 90018 || body.errcode === 90002;
      throw new ConnectorError({
        failureType: transient ? "transient" : "config",
        apiAsset: "dingtalk.gettoken",
        httpStatus: res.status,
        vendorCode: code,
        vendorMessage,
        message: transient
          ? `钉钉获取 access_token 暂时失败（钉钉返回：${vendorMessage}）`
          : `钉钉获取 access_token 失败：请检查 AppKey / AppSecret 是否正确、应用是否已启用（钉钉返回：${code ?? ""} ${vendorMessage}）`,
      });
    }
    ctx.redactor.add(body.access_token);
    const lifetime = typeof body.expires_in === "number" && body.expires_in >= 0 ? body.expires_in : 7200;
    const margin = Math.min(def.refreshMarginSec, lifetime * 0.1);
    // at least 1 s: a token about to expire is still used once, and 42001 then refreshes it
    const ttl = Math.max(1, Math.min(def.maxCacheSec, lifetime - margin));
    gen += 1;
    cached = { token: body.access_token, expiresAt: Date.now() + ttl * 1000, gen };
  };

  return {
    apply: async (req, ctx) => {
      if (!cached || Date.now() >= cached.expiresAt) await flight.run(() => fetchToken(ctx));
      const c = cached as CachedToken | null;
      if (!c) throw new ConnectorError({ failureType: "config", apiAsset: "dingtalk.gettoken", message: "钉钉 access_token 获取失败" });
      ctx.redactor.add(c.token);
      req.url.searchParams.set("access_token", c.token);
      return c.gen;
    },
    refresh: async (usedGen, ctx) => {
      if (cached && cached.gen !== usedGen) return; // someone already refreshed
      cached = null;
      await flight.run(() => fetchToken(ctx));
    },
  };
}
