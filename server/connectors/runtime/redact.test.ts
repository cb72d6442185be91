import { describe, expect, it } from "vitest";
import { Redactor } from "./redact";

describe("Redactor", () => {
  const r = new Redactor(["s3cr3t-value", "ab"]);
  r.add("token+with/chars");
  it("replaces known secret values, also URL-encoded", () => {
    expect(r.text("x s3cr3t-value y")).toBe("x *** y");
    expect(r.text(`q=${encodeURIComponent("token+with/chars")}`)).toBe("q=***");
    expect(r.text("ab stays (too short to be a secret)")).toBe("ab stays (too short to be a secret)");
  });
  it("masks secret-looking query/form keys", () => {
    expect(r.url("http://h/p?access_token=abc&appkey=k1&appsecret=zzz&sign=F00")).toBe("http://h/p?access_token=***&appkey=k1&appsecret=***&sign=***");
    expect(r.text("Cookie kdservice-sessionid=abc; Theme=standard")).toBe("Cookie kdservice-sessionid=***; Theme=standard");
  });
  it("deep-copies objects with secret-named keys masked", () => {
    expect(r.value({ sessionkey: "k", nested: { password: "p", note: "s3cr3t-value!" }, list: [{ sign: "X" }] })).toEqual({
      sessionkey: "***",
      nested: { password: "***", note: "***!" },
      list: [{ sign: "***" }],
    });
  });
});
