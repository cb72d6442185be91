import { describe, expect, it } from "vitest";
import { compileDateFormat, formatDate, formatDateTime, formatWith, toEpochMs } from "./time";

describe("time (Asia/Shanghai, fixed +08:00)", () => {
  it("formats epoch ms as Beijing time regardless of host TZ", () => {
    expect(formatDateTime(0)).toBe("1970-01-01 08:00:00");
    expect(formatDate(1709254800000)).toBe("2024-03-01");
    expect(formatWith(1709254800123, compileDateFormat("yyyy/MM/dd HH:mm:ss.SSS a h"))).toBe("2024/03/01 09:00:00.123 am 9");
  });
  it("parses loose local forms", () => {
    const t = 1709254800000;
    for (const s of ["2024-03-01 09:00:00", "2024-3-1 9:00", "2024/03/01 09:00:00", "2024.3.1 9:0:0", "2024年3月1日 9:00", "2024-03-01T09:00:00", "20240301090000", " 2024-03-01 09:00:00 "])
      expect(toEpochMs(s), s).toBe(t);
    expect(toEpochMs("2024-03-01")).toBe(t - 9 * 3600_000);
    expect(toEpochMs("2024-03-01 09:00:00.5")).toBe(t + 500);
  });
  it("numbers: seconds below 1e11, else ms; explicit units", () => {
    expect(toEpochMs(1709254800)).toBe(1709254800000);
    expect(toEpochMs(1709254800000)).toBe(1709254800000);
    expect(toEpochMs("1709254800")).toBe(1709254800000);
    expect(toEpochMs(1000, "ms")).toBe(1000);
    expect(toEpochMs(1, "s")).toBe(1000);
  });
  it("zones", () => {
    expect(toEpochMs("2024-03-01T01:00:00Z")).toBe(1709254800000);
    expect(toEpochMs("2024-03-01T03:00:00+02:00")).toBe(1709254800000);
    expect(toEpochMs("2024-03-01 09:00:00+0800")).toBe(1709254800000);
  });
  it("rejects non-dates and impossible dates", () => {
    for (const v of ["", "abc", "2024-02-30", "2023-02-29", "2024-01-01 24:00:00", "2024-13-01", null, undefined, true, {}, Number.NaN, Infinity, "x".repeat(100)])
      expect(toEpochMs(v), String(v)).toBeUndefined();
    expect(toEpochMs("2024-02-29")).toBeDefined();
  });
});
