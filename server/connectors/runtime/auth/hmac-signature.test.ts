import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HmacSignatureAuth } from "../../schema";
import { Redactor } from "../redact";
import { hmacSignatureAuth } from "./hmac-signature";

describe("HmacSignature authenticator", () => {
  it("signs a templated string and places the signature in a header", async () => {
    const def = HmacSignatureAuth.parse({
      type: "HmacSignature",
      stringToSign: "{{METHOD}}\n{{PATH}}\n{{BODY}}",
      placement: { in: "header", name: "X-Sign" },
      extra: [{ in: "header", name: "X-Key", value: "{{appKey}}" }],
    });
    const auth = hmacSignatureAuth(def, { vendor: "http", baseUrl: "http://x", settings: { appKey: "k1" }, secrets: { secret: "s3cret" } });
    const req = { method: "POST", url: new URL("http://x/api/v1"), headers: {} as Record<string, string>, body: { a: 1 }, bodyEncoding: "json" as const };
    const redactor = new Redactor();
    await auth.apply(req, { redactor });
    const expected = createHmac("sha256", "s3cret").update('POST\n/api/v1\n{"a":1}').digest("hex");
    expect(req.headers["X-Sign"]).toBe(expected);
    expect(req.headers["X-Key"]).toBe("k1");
    expect(redactor.text(`sig ${expected} key s3cret`)).toBe("sig *** key ***");
  });
});
