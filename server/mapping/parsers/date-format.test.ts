import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("DateFormat", () => {
  it("normalises loose local times to yyyy-MM-dd HH:mm:ss", () => {
    expect(runParser("DateFormat", {}, "2024-3-1 9:06:01")).toBe("2024-03-01 09:06:01");
    expect(runParser("DateFormat", {}, "2024/03/01")).toBe("2024-03-01 00:00:00");
    expect(runParser("DateFormat", {}, "2024年3月1日")).toBe("2024-03-01 00:00:00");
    expect(runParser("DateFormat", {}, "20240301090601")).toBe("2024-03-01 09:06:01");
  });
  it("ms and second timestamps (numbers or text) in Asia/Shanghai", () => {
    expect(runParser("DateFormat", {}, 1709254800000)).toBe("2024-03-01 09:00:00");
    expect(runParser("DateFormat", {}, "1709254800")).toBe("2024-03-01 09:00:00");
    expect(runParser("DateFormat", { inputUnit: "ms" }, 0)).toBe("1970-01-01 08:00:00");
  });
  it("ISO with zone converts to Beijing time", () => {
    expect(runParser("DateFormat", {}, "2024-03-01T01:00:00Z")).toBe("2024-03-01 09:00:00");
    expect(runParser("DateFormat", {}, "2024-03-01T09:00:00+08:00")).toBe("2024-03-01 09:00:00");
  });
  it("custom formats and timestamps out", () => {
    expect(runParser("DateFormat", { format: "yyyy-MM-dd" }, "2024-3-1 9:06:01")).toBe("2024-03-01");
    expect(runParser("DateFormat", { format: "YYYY/M/D H:mm" }, "2024-03-01 09:06:01")).toBe("2024/3/1 9:06");
    expect(runParser("DateFormat", { format: "X" }, "2024-03-01 09:00:00")).toBe(1709254800);
    expect(runParser("DateFormat", { format: "x" }, "2024-03-01 09:00:00")).toBe(1709254800000);
    expect(runParser("DateFormat", { format: "yyyy[年]MM[月]" }, "2024-03-01")).toBe("2024年03月");
  });
  it("rejects impossible dates", () => {
    expect(() => runParser("DateFormat", {}, "2024-02-30")).toThrow(/不是有效时间/);
    expect(() => runParser("DateFormat", {}, "2024-13-01")).toThrow(/不是有效时间/);
    expect(() => runParser("DateFormat", {}, "昨天")).toThrow(/不是有效时间/);
  });
});
