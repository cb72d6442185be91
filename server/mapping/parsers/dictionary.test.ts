import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

const map = { COMPLETED: "已完成", RUNNING: "审批中", "1": { FNumber: "A" } };

describe("Dictionary", () => {
  it("maps by text key", () => {
    expect(runParser("Dictionary", { map }, "COMPLETED")).toBe("已完成");
    expect(runParser("Dictionary", { map }, 1)).toEqual({ FNumber: "A" });
  });
  it("default, keep, error on missing", () => {
    expect(runParser("Dictionary", { map, default: "未知" }, "X")).toBe("未知");
    expect(runParser("Dictionary", { map }, "X")).toBe("X");
    expect(() => runParser("Dictionary", { map, onMissing: "error" }, "X")).toThrow(/不在字典中/);
    expect(runParser("Dictionary", { map, default: "空" }, null)).toBe("空");
  });
  it("does not match inherited keys", () => {
    expect(runParser("Dictionary", { map, default: "d" }, "constructor")).toBe("d");
  });
});
