import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { guanyiSign, signGuanyiBody } from "./guanyi-sign";

describe("Guanyi MD5 sign", () => {
  it("puts appkey, sessionkey, method first and signs the compact JSON with unescaped Chinese", () => {
    const text = signGuanyiBody({ method: "gy.erp.shop.get", page_no: 1, page_size: 10, code: "店铺/1" }, "112194", "sk", "sec");
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["appkey", "sessionkey", "method", "page_no", "page_size", "code", "sign"]);
    const { sign, ...rest } = parsed;
    const json = JSON.stringify(rest);
    expect(json).toContain("店铺/1");
    expect(sign).toBe(createHash("md5").update(`sec${json}sec`).digest("hex").toUpperCase());
    expect(guanyiSign("sec", json)).toMatch(/^[0-9A-F]{32}$/);
  });
});
