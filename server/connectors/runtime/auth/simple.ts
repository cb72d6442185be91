/**
 * Generic authenticators for any HTTP API: none, API key (header or query), Bearer, Basic.
 *
 * Why this exists: the generic HTTP connector must authenticate common APIs without code.
 */
import type { ApiKeyAuth, BasicAuth, BearerAuth } from "../../schema";
import type { ConnectionConfig } from "../../types";
import type { AuthRuntime } from "./auth";
import { requireCredential } from "./auth";

export function noAuth(): AuthRuntime {
  return { apply: async () => 0, refresh: async () => undefined };
}

export function apiKeyAuth(def: ApiKeyAuth, conn: ConnectionConfig): AuthRuntime {
  return {
    apply: async (req, ctx) => {
      const key = requireCredential(conn, def.credential, "接口", "auth");
      ctx.redactor.add(key);
      if (def.in === "header") req.headers[def.name] = `${def.prefix}${key}`;
      else req.url.searchParams.set(def.name, `${def.prefix}${key}`);
      return 0;
    },
    refresh: async () => undefined,
  };
}

export function bearerAuth(def: BearerAuth, conn: ConnectionConfig): AuthRuntime {
  return {
    apply: async (req, ctx) => {
      const token = requireCredential(conn, def.credential, "接口", "auth");
      ctx.redactor.add(token);
      req.headers.authorization = `Bearer ${token}`;
      return 0;
    },
    refresh: async () => undefined,
  };
}

export function basicAuth(def: BasicAuth, conn: ConnectionConfig): AuthRuntime {
  return {
    apply: async (req, ctx) => {
      const user = requireCredential(conn, def.usernameCredential, "接口", "auth");
      const pass = requireCredential(conn, def.passwordCredential, "接口", "auth");
      const token = Buffer.from(`${user}:${pass}`, "utf8").toString("base64");
      ctx.redactor.add(pass);
      ctx.redactor.add(token);
      req.headers.authorization = `Basic ${token}`;
      return 0;
    },
    refresh: async () => undefined,
  };
}
