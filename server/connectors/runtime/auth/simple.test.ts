import { describe, expect, it } from "vitest";
import type { PreparedRequest } from "../http";
import { Redactor } from "../redact";
import { apiKeyAuth, basicAuth, bearerAuth, noAuth } from "./simple";

const req = (): PreparedRequest => ({ method: "GET", url: new URL("http://x/a"), headers: {}, bodyEncoding: "none" });
const conn = { vendor: "http", baseUrl: "http://x", settings: { username: "u1" }, secrets: { apiKey: "key-123456", token: "tok-abcdef", password: "pw-123456" } };

describe("generic authenticators", () => {
  it("NoAuth adds nothing", async () => {
    const r = req();
    await noAuth().apply(r, { redactor: new Redactor() });
    expect(r.headers).toEqual({});
  });
  it("ApiKey goes to a header (with prefix) or the query", async () => {
    const h = req();
    await apiKeyAuth({ type: "ApiKey", in: "header", name: "Authorization", credential: "apiKey", prefix: "Token " }, conn).apply(h, { redactor: new Redactor() });
    expect(h.headers.Authorization).toBe("Token key-123456");
    const q = req();
    const redactor = new Redactor();
    await apiKeyAuth({ type: "ApiKey", in: "query", name: "key", credential: "apiKey", prefix: "" }, conn).apply(q, { redactor });
    expect(q.url.searchParams.get("key")).toBe("key-123456");
    expect(redactor.url(q.url.toString())).toBe("http://x/a?key=***");
  });
  it("Bearer and Basic set Authorization and register their secrets for redaction", async () => {
    const b = req();
    const redactor = new Redactor();
    await bearerAuth({ type: "Bearer", credential: "token" }, conn).apply(b, { redactor });
    expect(b.headers.authorization).toBe("Bearer tok-abcdef");
    const basic = req();
    await basicAuth({ type: "Basic", usernameCredential: "username", passwordCredential: "password" }, conn).apply(basic, { redactor });
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from("u1:pw-123456").toString("base64")}`);
    expect(redactor.text(`${b.headers.authorization} ${basic.headers.authorization}`)).toBe("Bearer *** Basic ***");
  });
  it("a missing credential is a configuration error naming it", async () => {
    await expect(bearerAuth({ type: "Bearer", credential: "nope" }, conn).apply(req(), { redactor: new Redactor() })).rejects.toMatchObject({ failureType: "config", message: expect.stringContaining("nope") });
  });
});
