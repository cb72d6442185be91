import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("ConvertObjectParser", () => {
  it("wraps a scalar under the key (seed: FCreateOrgId)", () => {
    expect(runParser("ConvertObjectParser", { key: "FNumber" }, "100")).toEqual({ FNumber: "100" });
    expect(runParser("ConvertObjectParser", { key: "FNUMBER" }, 100)).toEqual({ FNUMBER: 100 });
    expect(runParser("ConvertObjectParser", { key: "FUserID" }, "张三")).toEqual({ FUserID: "张三" });
  });
  it("accepts Qeasy's positional string param via {value}", () => {
    expect(runParser("ConvertObjectParser", { value: "FNumber" }, "1")).toEqual({ FNumber: "1" });
  });
  it("rejects a missing key", () => {
    expect(() => runParser("ConvertObjectParser", {}, "1")).toThrow(/参数无效/);
  });
});
