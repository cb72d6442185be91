import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("ArrayUnique", () => {
  it("keeps first occurrences; distinguishes 1 and '1'", () => {
    expect(runParser("ArrayUnique", {}, ["a", "a", "b", 1, "1", { x: 1 }, { x: 1 }])).toEqual(["a", "b", 1, "1", { x: 1 }]);
    expect(runParser("ArrayUnique", {}, "x")).toBe("x");
  });
});
