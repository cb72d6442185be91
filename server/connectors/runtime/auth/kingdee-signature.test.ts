import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clientSecret, hmacB64, kingdeeLoginSign, kingdeeSignatureHeaders } from "./kingdee-signature";

describe("Kingdee signatures", () => {
  it("HmacB64 is base64 of the lowercase hex HMAC", () => {
    const hex = createHmac("sha256", "k").update("m").digest("hex");
    expect(hmacB64("k", "m")).toBe(Buffer.from(hex).toString("base64"));
  });
  it("derives the gateway secret by XOR with the SDK constant (matches the Python ROT13 construction)", () => {
    const rot13 = (s: string) => s.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));
    expect(rot13("0054s397p6234378o09pn7q3r5qropr7")).toBe("0054f397c6234378b09ca7d3e5debce7");
    const enc = Buffer.alloc(24, 7).toString("base64"); // 32 chars
    const out = Buffer.from(clientSecret(enc), "base64");
    expect(out[0]).toBe(7 ^ "0".charCodeAt(0));
    expect(clientSecret("short")).toBe("short");
  });
  it("builds the header set with the %2F-encoded path", () => {
    const h = kingdeeSignatureHeaders({
      appId: `204399_${Buffer.alloc(24, 1).toString("base64")}`,
      appSecret: "0123456789abcdef0123456789abcdef",
      acctId: "acct",
      userName: "demo",
      lcid: 2052,
      orgNum: 0,
      path: "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc",
      timestampSec: 1700000000,
    });
    expect(h["X-Api-ClientID"]).toBe("204399");
    expect(Buffer.from(h["X-Kd-Appdata"], "base64").toString()).toBe("acct,demo,2052,0");
    const toSign = "POST\n%2Fk3cloud%2FKingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc\n\nx-api-nonce:1700000000\nx-api-timestamp:1700000000\n";
    expect(h["X-Api-Signature"]).toBe(hmacB64(clientSecret(`${Buffer.alloc(24, 1).toString("base64")}`), toSign));
  });
  it("LoginBySign sorts the five strings", () => {
    expect(kingdeeLoginSign("b", "a", "c", "e", "d")).toBe(createHash("sha256").update("abcde").digest("hex"));
  });
});
