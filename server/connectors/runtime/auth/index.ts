/**
 * Builds (and caches per connection identity) the authenticator runtime for a definition.
 *
 * Why this exists: a DingTalk token or a Kingdee session belongs to an identity, not to a reader; the
 * cache key is the vendor, base URL and a hash of the credentials, so two nodes of one connection
 * share one token while a changed password gets a fresh runtime.
 */
import { createHash } from "node:crypto";
import type { Authenticator } from "../../schema";
import type { ConnectionConfig } from "../../types";
import type { AuthRuntime } from "./auth";
import { dingtalkTokenAuth } from "./dingtalk-token";
import { guanyiSignAuth } from "./guanyi-sign";
import { hmacSignatureAuth } from "./hmac-signature";
import { kingdeeSessionAuth } from "./kingdee-session";
import { apiKeyAuth, basicAuth, bearerAuth, noAuth } from "./simple";

export type { AuthRuntime, AuthCallContext } from "./auth";

const cache = new Map<string, AuthRuntime>();

function identity(def: Authenticator, conn: ConnectionConfig): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(def));
  h.update(JSON.stringify(Object.entries(conn.settings).sort()));
  h.update(JSON.stringify(Object.entries(conn.secrets).sort()));
  return `${conn.vendor}|${conn.baseUrl}|${h.digest("hex")}`;
}

export function buildAuth(def: Authenticator, conn: ConnectionConfig): AuthRuntime {
  switch (def.type) {
    case "NoAuth":
      return noAuth();
    case "ApiKey":
      return apiKeyAuth(def, conn);
    case "Bearer":
      return bearerAuth(def, conn);
    case "Basic":
      return basicAuth(def, conn);
    case "HmacSignature":
      return hmacSignatureAuth(def, conn);
    case "GuanyiSign":
      return guanyiSignAuth(def, conn);
    case "DingTalkToken":
      return dingtalkTokenAuth(def, conn);
    case "KingdeeSession":
      return kingdeeSessionAuth(def, conn);
  }
}

export function getAuth(def: Authenticator, conn: ConnectionConfig): AuthRuntime {
  const key = identity(def, conn);
  let a = cache.get(key);
  if (!a) {
    a = buildAuth(def, conn);
    if (cache.size > 500) cache.clear();
    cache.set(key, a);
  }
  return a;
}

/** Forgets cached tokens/sessions (tests, or after a connection's credentials change). */
export function clearAuthCache(): void {
  cache.clear();
}
