/**
 * The authenticator slot: how a request proves who sends it.
 *
 * Why this exists: each vendor authenticates differently — Guanyi signs the body with MD5, DingTalk
 * fetches and caches an access token, Kingdee logs in for a session cookie or signs headers — and a
 * generic HTTP API uses a key, a bearer token, basic auth or an HMAC described here as data. Credentials
 * are referenced by name (`secrets[name]`, else `settings[name]`), never written into a definition.
 */
import { z } from "zod";

export const NoAuth = z.object({ type: z.literal("NoAuth") });
export type NoAuth = z.infer<typeof NoAuth>;

export const ApiKeyAuth = z.object({
  type: z.literal("ApiKey"),
  in: z.enum(["header", "query"]).default("header"),
  name: z.string().min(1),
  /** credential name holding the key */
  credential: z.string().default("apiKey"),
  /** prefix put before the key (e.g. "Token ") */
  prefix: z.string().default(""),
});
export type ApiKeyAuth = z.infer<typeof ApiKeyAuth>;

export const BearerAuth = z.object({ type: z.literal("Bearer"), credential: z.string().default("token") });
export type BearerAuth = z.infer<typeof BearerAuth>;

export const BasicAuth = z.object({
  type: z.literal("Basic"),
  usernameCredential: z.string().default("username"),
  passwordCredential: z.string().default("password"),
});
export type BasicAuth = z.infer<typeof BasicAuth>;

/**
 * A signature computed over a template and placed in a header, query parameter or body field.
 * The template sees {{METHOD}}, {{PATH}}, {{BODY}} (the serialised body), {{TIMESTAMP}} (ms),
 * {{TIMESTAMP_S}}, {{NONCE}} and every credential by name ({{appKey}}).
 */
export const HmacSignatureAuth = z.object({
  type: z.literal("HmacSignature"),
  algorithm: z.enum(["hmac-sha256", "hmac-sha1", "hmac-md5", "md5", "sha256", "sha1"]).default("hmac-sha256"),
  encoding: z.enum(["hex", "HEX", "base64"]).default("hex"),
  /** credential holding the key (for hmac-*); plain hashes just hash the template */
  keyCredential: z.string().default("secret"),
  stringToSign: z.string().min(1),
  placement: z.object({ in: z.enum(["header", "query", "body"]), name: z.string().min(1) }),
  /** extra values added next to the signature (e.g. timestamp header), templated the same way */
  extra: z.array(z.object({ in: z.enum(["header", "query", "body"]), name: z.string(), value: z.string() })).default([]),
});
export type HmacSignatureAuth = z.infer<typeof HmacSignatureAuth>;

/** Guanyi: body gets appkey, sessionkey first; sign = UPPER(MD5(secret + compact JSON + secret)). */
export const GuanyiSignAuth = z.object({
  type: z.literal("GuanyiSign"),
  appkeyCredential: z.string().default("appkey"),
  sessionkeyCredential: z.string().default("sessionkey"),
  secretCredential: z.string().default("secret"),
});
export type GuanyiSignAuth = z.infer<typeof GuanyiSignAuth>;

/** DingTalk oapi: GET gettoken?appkey&appsecret, token in the `access_token` query parameter. */
export const DingTalkTokenAuth = z.object({
  type: z.literal("DingTalkToken"),
  tokenPath: z.string().default("gettoken"),
  appkeyCredential: z.string().default("appkey"),
  appsecretCredential: z.string().default("appsecret"),
  /** refresh this long before the vendor's expiry (capped at 10 % of the lifetime) */
  refreshMarginSec: z.number().int().min(0).default(300),
  /** never trust a token longer than this (clients use ~6200 s whatever expires_in says) */
  maxCacheSec: z.number().int().positive().default(6200),
});
export type DingTalkTokenAuth = z.infer<typeof DingTalkTokenAuth>;

/** Kingdee: log in for a session cookie (three login calls), or sign every request (Auth-Version 2.0). */
export const KingdeeAuth = z.object({
  type: z.literal("KingdeeSession"),
  /** default mode; a connection's settings.authMode overrides it */
  mode: z.enum(["ValidateUser", "LoginByAppSecret", "LoginBySign", "Signature"]).default("ValidateUser"),
  lcid: z.number().int().default(2052),
});
export type KingdeeAuth = z.infer<typeof KingdeeAuth>;

export const Authenticator = z.discriminatedUnion("type", [
  NoAuth,
  ApiKeyAuth,
  BearerAuth,
  BasicAuth,
  HmacSignatureAuth,
  GuanyiSignAuth,
  DingTalkTokenAuth,
  KingdeeAuth,
]);
export type Authenticator = z.infer<typeof Authenticator>;
