/**
 * Kingdee K3Cloud "Auth-Version 2.0" signature headers (official SDK, 第三方系统登录授权) and the
 * LoginBySign signature.
 *
 * Why this exists: these are byte-exact algorithms from the SDK sources (fact sheet §2b), kept apart
 * from the session logic so they can be tested against known values.
 */
import { createHash, createHmac } from "node:crypto";

const XOR_KEY = "0054f397c6234378b09ca7d3e5debce7";

/** HMAC-SHA256 → lowercase hex → base64 of that hex text. */
export function hmacB64(key: string, message: string): string {
  const hex = createHmac("sha256", key).update(message, "utf8").digest("hex");
  return Buffer.from(hex, "utf8").toString("base64");
}

/** Gateway secret from the second half of the AppId. */
export function clientSecret(encSec: string): string {
  if (encSec.length !== 32) return encSec;
  const raw = Buffer.from(encSec, "base64");
  const key = Buffer.from(XOR_KEY, "ascii");
  const out = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] ^ key[i];
  return out.toString("base64");
}

export interface KingdeeSignInput {
  appId: string;
  appSecret: string;
  acctId: string;
  userName: string;
  lcid: number;
  orgNum: number | string;
  /** URL path starting at the first "/" after the host */
  path: string;
  timestampSec: number;
}

export function kingdeeSignatureHeaders(i: KingdeeSignInput): Record<string, string> {
  const [clientId, encSec = ""] = i.appId.split("_");
  const sec = clientSecret(encSec);
  const path = encodeURIComponent(i.path).replace(/%2F/gi, "%2F");
  const ts = String(i.timestampSec);
  const toSign = `POST\n${path}\n\nx-api-nonce:${ts}\nx-api-timestamp:${ts}\n`;
  const appData = `${i.acctId},${i.userName},${i.lcid},${i.orgNum}`;
  return {
    "X-Api-ClientID": clientId,
    "X-Api-Auth-Version": "2.0",
    "x-api-timestamp": ts,
    "x-api-nonce": ts,
    "x-api-signheaders": "x-api-timestamp,x-api-nonce",
    "X-Api-Signature": hmacB64(sec, toSign),
    "X-Kd-Appkey": i.appId,
    "X-Kd-Appdata": Buffer.from(appData, "utf8").toString("base64"),
    "X-Kd-Signature": hmacB64(i.appSecret, i.appId + appData),
  };
}

/** LoginBySign: lowercase hex SHA-256 of the five strings sorted lexicographically and concatenated. */
export function kingdeeLoginSign(acctId: string, userName: string, appId: string, appSecret: string, timestampSec: string): string {
  const parts = [acctId, userName, appId, appSecret, timestampSec].sort();
  return createHash("sha256").update(parts.join(""), "utf8").digest("hex");
}
