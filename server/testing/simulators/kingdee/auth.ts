/**
 * Kingdee K3Cloud WebAPI signatures: LoginBySign's SHA-256 and the "Auth-Version 2.0" request
 * headers (X-Api-* / X-Kd-*), exactly as /work/shared/reference/kingdee-k3cloud.md §2 and the
 * official Python SDK compute them.
 *
 * Why this exists: the simulator must accept precisely what a real client sends and refuse
 * everything else; the same functions are exported so tests and benchmarks can act as clients.
 */
import { createHash, createHmac } from "node:crypto";

const XOR_KEY = "0054f397c6234378b09ca7d3e5debce7";

/** Gateway secret from the 32-char part of the AppId: base64 → XOR with XOR_KEY → base64. */
export function decodeAppSecret(encSec: string): string {
  if (encSec.length !== 32) return "";
  const raw = Buffer.from(encSec, "base64");
  const out = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] ^ XOR_KEY.charCodeAt(i);
  return out.toString("base64");
}

/** HMAC-SHA256 → lowercase hex → base64 of that hex's ASCII. */
export function hmacB64(key: string, content: string): string {
  const hex = createHmac("sha256", Buffer.from(key, "utf8")).update(content, "utf8").digest("hex");
  return Buffer.from(hex, "utf8").toString("base64");
}

/** LoginBySign: lowercase hex SHA-256 of the five strings sorted lexicographically, concatenated. */
export function loginBySignValue(acctId: string, userName: string, appId: string, appSecret: string, timestamp: string): string {
  const parts = [acctId, userName, appId, appSecret, timestamp].sort();
  return createHash("sha256").update(parts.join(""), "utf8").digest("hex");
}

/** URL path as signed: from the first `/` after the host, percent-encoded with `/` → %2F. */
export function encodeSignPath(path: string): string {
  return encodeURIComponent(path).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignIdentity {
  appId: string;
  appSecret: string;
  acctId: string;
  userName: string;
  lcid: string | number;
  orgNum?: string | number;
}

/** The headers an official-SDK client sends for one request (tests/benchmarks use this). */
export function buildSignedHeaders(id: SignIdentity, path: string, ts = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const [clientId, encSec] = id.appId.split("_");
  const parts = id.appId.split("_");
  const clientSec = parts.length === 2 ? decodeAppSecret(encSec ?? "") : "";
  const nonce = ts;
  const apiSign = `POST\n${encodeSignPath(path)}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${ts}\n`;
  const appData = `${id.acctId},${id.userName},${id.lcid},${id.orgNum ?? 0}`;
  return {
    "X-Api-ClientID": parts.length === 2 ? (clientId ?? "") : "",
    "X-Api-Auth-Version": "2.0",
    "x-api-timestamp": ts,
    "x-api-nonce": nonce,
    "x-api-signheaders": "x-api-timestamp,x-api-nonce",
    "X-Api-Signature": hmacB64(clientSec, apiSign),
    "X-Kd-Appkey": id.appId,
    "X-Kd-Appdata": Buffer.from(appData, "utf8").toString("base64"),
    "X-Kd-Signature": hmacB64(id.appSecret, id.appId + appData),
  };
}

export type HeaderVerdict =
  | { kind: "absent" }
  | { kind: "ok"; userName: string; lcid: number }
  | { kind: "badAcct" }
  | { kind: "bad"; reason: string };

type Headers = Record<string, string | string[] | undefined>;

function h(headers: Headers, name: string): string {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

// CHOICE: valid LCIDs are 2052 (zh-CN), 1033 (en-US) and 3076 (zh-HK); others fail auth.
export const VALID_LCIDS = new Set([2052, 1033, 3076]);

/** Verifies the signature headers of one request against the tenant's identity. */
export function verifySignedHeaders(headers: Headers, path: string, expected: Omit<SignIdentity, "lcid" | "orgNum">): HeaderVerdict {
  const signature = h(headers, "x-api-signature");
  const appKey = h(headers, "x-kd-appkey");
  if (!signature && !appKey) return { kind: "absent" };
  let appData: string;
  try {
    appData = Buffer.from(h(headers, "x-kd-appdata"), "base64").toString("utf8");
  } catch {
    return { kind: "bad", reason: "appdata" };
  }
  const [acctId, userName, lcidS] = appData.split(",");
  if (acctId !== expected.acctId) return { kind: "badAcct" };
  if (appKey !== expected.appId) return { kind: "bad", reason: "appId" };
  const parts = appKey.split("_");
  if (parts.length !== 2 || parts[1].length !== 32) return { kind: "bad", reason: "appId shape" };
  if (h(headers, "x-api-clientid") !== parts[0]) return { kind: "bad", reason: "clientId" };
  const ts = h(headers, "x-api-timestamp");
  const nonce = h(headers, "x-api-nonce");
  // CHOICE: like the observed server, the timestamp window is not enforced.
  const apiSign = `POST\n${encodeSignPath(path)}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${ts}\n`;
  if (signature !== hmacB64(decodeAppSecret(parts[1]), apiSign)) return { kind: "bad", reason: "api signature" };
  if (h(headers, "x-kd-signature") !== hmacB64(expected.appSecret, appKey + appData)) return { kind: "bad", reason: "kd signature" };
  if (userName !== expected.userName) return { kind: "bad", reason: "user" };
  const lcid = Number(lcidS);
  if (!VALID_LCIDS.has(lcid)) return { kind: "bad", reason: "lcid" };
  return { kind: "ok", userName, lcid };
}
