import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("ArrayToString", () => {
  it("implodes (K3Cloud FieldKeys)", () => {
    expect(runParser("ArrayToString", {}, ["FCUSTID", "FNumber", "FName"])).toBe("FCUSTID,FNumber,FName");
    expect(runParser("ArrayToString", { separator: ";" }, [1, "a", null, { x: 1 }])).toBe('1;a;;{"x":1}');
  });
  it("a scalar becomes its text", () => {
    expect(runParser("ArrayToString", {}, 5)).toBe("5");
  });
});
