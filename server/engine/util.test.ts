/**
 * The change-detection hash must never change between versions: a different hash for the same record
 * would make every ledger row look changed and re-write a whole scheme's records after an upgrade.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentHash, readPath, stableStringify, toJson } from "./util";

describe("contentHash / stableStringify", () => {
  it("gives the hash of the first release for the same record (golden value)", () => {
    const rec = { id: 7, code: "G000007", name: "店铺 7", tags: ["a", null, { z: 1, a: [true, 2.5] }], skip: undefined, note: 'x"y\n' };
    expect(stableStringify(rec)).toBe('{"code":"G000007","id":7,"name":"店铺 7","note":"x\\"y\\n","tags":["a",null,{"a":[true,2.5],"z":1}]}');
    expect(contentHash(rec, "fp-1")).toBe("3f2a3b92289feb8cc88c91f9bbf38ce55a89432c");
  });

  it("is plain JSON of the same content, whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = stableStringify(v);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        if (v && typeof v === "object" && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(stableStringify(reversed)).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("remembers the hashed record's text as its JSON (serialised once)", () => {
    const rec = { b: 1, a: "x" };
    contentHash(rec, "s");
    expect(toJson(rec)).toBe('{"a":"x","b":1}');
    expect(toJson({ b: 1, a: "x" })).toBe('{"b":1,"a":"x"}');
    expect(toJson(null)).toBe("null");
  });

  it("reads dotted and indexed paths", () => {
    const rec = { a: { list: [{ c: 3 }] } };
    expect(readPath(rec, "a.list[0].c")).toBe(3);
    expect(readPath(rec, "a.list.0.c")).toBe(3);
    expect(readPath(rec, "a.missing.c")).toBeUndefined();
  });
});
