/**
 * A signature described entirely in data: hash or HMAC of a templated string, placed in a header,
 * query parameter or body field.
 *
 * Why this exists: most Chinese SaaS APIs sign requests with some variant of "md5(secret + params +
 * secret)" or "HMAC-SHA256(method + path + timestamp)"; the generic HTTP connector covers them without
 * code. The template sees METHOD, PATH, BODY (serialised body without the signature), TIMESTAMP (ms),
 * TIMESTAMP_S, NONCE and every credential by name.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import type { HmacSignatureAuth } from "../../schema";
import type { ConnectionConfig } from "../../types";
import { encodeBody, type PreparedRequest } from "../http";
import { resolveString } from "../template";
import type { AuthRuntime } from "./auth";
import { credential } from "./auth";

export function digest(def: Pick<HmacSignatureAuth, "algorithm" | "encoding">, key: string, message: string): string {
  const enc = def.encoding === "base64" ? "base64" : "hex";
  let out: string;
  if (def.algorithm.startsWith("hmac-")) {
    out = createHmac(def.algorithm.slice(5), key).update(message, "utf8").digest(enc);
  } else {
    out = createHash(def.algorithm).update(message, "utf8").digest(enc);
  }
  return def.encoding === "HEX" ? out.toUpperCase() : out;
}

function place(req: PreparedRequest, where: "header" | "query" | "body", name: string, value: string): void {
  if (where === "header") req.headers[name] = value;
  else if (where === "query") req.url.searchParams.set(name, value);
  else req.body = { ...((req.body as Record<string, unknown>) ?? {}), [name]: value };
}

export function hmacSignatureAuth(def: HmacSignatureAuth, conn: ConnectionConfig): AuthRuntime {
  return {
    apply: async (req, ctx) => {
      const now = Date.now();
      const vars: Record<string, unknown> = {
        ...conn.settings,
        ...conn.secrets,
        METHOD: req.method,
        PATH: req.url.pathname,
        TIMESTAMP: now,
        TIMESTAMP_S: Math.floor(now / 1000),
        NONCE: randomUUID().replace(/-/g, ""),
      };
      for (const x of def.extra) place(req, x.in, x.name, String(resolveString(x.value, vars) ?? ""));
      vars.BODY = encodeBody({ ...req, rawBody: undefined }) ?? "";
      const key = credential(conn, def.keyCredential) ?? "";
      ctx.redactor.add(key);
      const sig = digest(def, key, String(resolveString(def.stringToSign, vars) ?? ""));
      ctx.redactor.add(sig);
      place(req, def.placement.in, def.placement.name, sig);
      return 0;
    },
    refresh: async () => undefined,
  };
}
