/**
 * The change-detection hash must never change between versions: a different hash for the same record
 * would make every ledger row look changed and re-write a whole scheme's records after an upgrade.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectorError } from "@/server/connectors/errors";
import { DomainError } from "@/server/errors";
import { hashRecord, isTransient, readPath, reasonOf, stableStringify } from "./util";

/** The first release's implementation, kept as the reference the fast one must equal. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : reference(v))).join(",") + "]";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + reference(obj[k])).join(",") + "}";
}

describe("hashRecord / stableStringify", () => {
  it("gives the hash of the first release for the same record (golden value)", () => {
    const rec = { id: 7, code: "G000007", name: "店铺 7", tags: ["a", null, { z: 1, a: [true, 2.5] }], skip: undefined, note: 'x"y\n' };
    expect(stableStringify(rec)).toBe('{"code":"G000007","id":7,"name":"店铺 7","note":"x\\"y\\n","tags":["a",null,{"a":[true,2.5],"z":1}]}');
    expect(hashRecord(rec, "fp-1").hash).toBe("3f2a3b92289feb8cc88c91f9bbf38ce55a89432c");
  });

  it("equals the first release's output for any JSON value, and is plain JSON of the same content", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = stableStringify(v);
        expect(text).toBe(reference(v));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        if (v && typeof v === "object" && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(stableStringify(reversed)).toBe(text);
        }
      }),
      { numRuns: 500 },
    );
    // keys that only some nested objects have, numeric-looking keys, undefined members
    const tricky = { b: [{ z: 1, a: 2 }, { y: undefined, a: null }], 10: "x", 9: { 2: 1, 10: 0 }, a: undefined };
    expect(stableStringify(tricky)).toBe(reference(tricky));
  });

  it("falls back to the reference for values plain JSON does not have", () => {
    const odd = { when: new Date(0), f: () => 1, n: [undefined, 1] };
    expect(stableStringify(odd)).toBe(reference(odd));
  });

  it("returns the stable text with the hash (reused as the source payload's JSON)", () => {
    const r = hashRecord({ b: 1, a: "x" }, "s");
    expect(r.json).toBe('{"a":"x","b":1}');
    expect(r.hash).toBe(hashRecord({ a: "x", b: 1 }, "s").hash);
  });

  it("reads dotted and indexed paths", () => {
    const rec = { a: { list: [{ c: 3 }] } };
    expect(readPath(rec, "a.list[0].c")).toBe(3);
    expect(readPath(rec, "a.list.0.c")).toBe(3);
    expect(readPath(rec, "a.missing.c")).toBeUndefined();
  });
});

describe("isTransient: one retry policy per call", () => {
  it("never retries a ConnectorError again (the connector already retried it under its own policy)", () => {
    const e = new ConnectorError({ failureType: "transient", apiAsset: "kingdee.BatchSave", httpStatus: 502, message: "金蝶接口不可用：HTTP 502（网关错误），已重试 5 次", attempts: 5 });
    expect(isTransient(e)).toBe(false);
    expect(isTransient(new ConnectorError({ failureType: "config", apiAsset: "guanyi.gy.erp.shop.get", message: "签名错误" }))).toBe(false);
  });

  it("never retries an unknown error: a TypeError is a bug, a driver's error an infrastructure fault", () => {
    expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isTransient(new Error("socket hang up"))).toBe(false);
    expect(isTransient("boom")).toBe(false);
    expect(isTransient(Object.assign(new Error("aborted"), { name: "AbortError" }))).toBe(false);
    // a look-alike is not a ConnectorError: no duck typing on `failureType`
    expect(isTransient(Object.assign(new Error("x"), { failureType: "transient" }))).toBe(false);
  });

  it("retries only our own DomainErrors that say 'try again later'", () => {
    expect(isTransient(new DomainError("SERVICE_UNAVAILABLE", "稍后再试"))).toBe(true);
    expect(isTransient(new DomainError("GATEWAY_TIMEOUT", "超时"))).toBe(true);
    expect(isTransient(new DomainError("BAD_REQUEST", "参数错误"))).toBe(false);
  });
});

describe("reasonOf: what a person reads", () => {
  it("keeps a DomainError's message and hides anything else's text (logged once instead)", () => {
    expect(reasonOf(new DomainError("BAD_GATEWAY", "金蝶接口不可用"), "t")).toBe("金蝶接口不可用");
    const logged: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void logged.push(a);
    try {
      const text = reasonOf(new Error("Invalid `prisma.run.update()` invocation: SQLITE_BUSY"), "saving the checkpoint");
      expect(text).not.toMatch(/prisma|SQLITE/i);
      expect(text).toMatch(/服务器内部错误/);
      expect(logged).toHaveLength(1);
    } finally {
      console.error = orig;
    }
  });
});
