/**
 * Guanyi (管易云) request signing: the body starts with appkey, sessionkey, method, then business
 * fields; sign = UPPER(hex(MD5(secret + compactJson + secret))) is appended and the exact signed text
 * (plus sign) is sent.
 *
 * Why this exists: the server re-serialises the parsed body in received key order, compact, non-ASCII
 * unescaped — JSON.stringify produces exactly that, so we sign and send the same serialisation.
 * There is no token and no expiry: refresh is a no-op and a sign error is a configuration error.
 */
import { createHash } from "node:crypto";
import type { GuanyiSignAuth } from "../../schema";
import type { ConnectionConfig } from "../../types";
import type { AuthRuntime } from "./auth";
import { requireCredential } from "./auth";

export function guanyiSign(secret: string, json: string): string {
  return createHash("md5").update(secret + json + secret, "utf8").digest("hex").toUpperCase();
}

/** Builds the signed body text for a business body (which carries `method`). */
export function signGuanyiBody(body: Record<string, unknown>, appkey: string, sessionkey: string, secret: string): string {
  const { method, ...rest } = body;
  const ordered: Record<string, unknown> = { appkey, sessionkey, method, ...rest };
  const json = JSON.stringify(ordered);
  const sign = guanyiSign(secret, json);
  return `${json.slice(0, -1)}${json.length > 2 ? "," : ""}"sign":"${sign}"}`;
}

export function guanyiSignAuth(def: GuanyiSignAuth, conn: ConnectionConfig): AuthRuntime {
  return {
    apply: async (req, ctx) => {
      const appkey = requireCredential(conn, def.appkeyCredential, "管易云", "guanyi.auth");
      const sessionkey = requireCredential(conn, def.sessionkeyCredential, "管易云", "guanyi.auth");
      const secret = requireCredential(conn, def.secretCredential, "管易云", "guanyi.auth");
      ctx.redactor.add(sessionkey);
      ctx.redactor.add(secret);
      const text = signGuanyiBody((req.body ?? {}) as Record<string, unknown>, appkey, sessionkey, secret);
      ctx.redactor.add(text.slice(-35, -2)); // the sign itself
      req.rawBody = text;
      req.headers["content-type"] = "application/json;charset=utf-8";
      return 0;
    },
    refresh: async () => undefined,
  };
}
