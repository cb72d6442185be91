/**
 * The change-detection hash must never change between versions: a different hash for the same record
 * would make every ledger row look changed and re-write a whole scheme's records after an upgrade.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashRecord, readPath, stableStringify } from "./util";

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
