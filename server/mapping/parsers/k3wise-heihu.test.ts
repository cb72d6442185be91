import { describe, expect, it } from "vitest";
import { normalizeParsers } from "./registry";
import { runParser } from "./test-helpers";

describe("K3WiseHeiHuCustomParser", () => {
  it("wraps into a keyName/keyValue list; Qeasy positional param", () => {
    expect(runParser("K3WiseHeiHuCustomParser", { keyName: "FNumber" }, "A1")).toEqual([{ keyName: "FNumber", keyValue: "A1" }]);
    expect(normalizeParsers({ name: "K3WiseHeiHuCustomParser", params: "FItemID" })).toEqual([{ name: "K3WiseHeiHuCustomParser", params: { keyName: "FItemID" } }]);
  });
});
