import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("ConvertTwoStageObjectParser", () => {
  it("wraps twice", () => {
    expect(runParser("ConvertTwoStageObjectParser", { params1: "FMaterialId", params2: "FNumber" }, "M001")).toEqual({ FMaterialId: { FNumber: "M001" } });
  });
  it("needs both keys", () => {
    expect(() => runParser("ConvertTwoStageObjectParser", { params1: "A" }, "x")).toThrow(/params2/);
  });
});
