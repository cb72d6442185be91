import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./limits";
import { assertSafePattern, compileSafeRegex } from "./safe-regex";

describe("safe regex", () => {
  it("accepts common cleaning patterns", () => {
    for (const p of ["^\\s+|\\s+$", "\\s+", "(\\d{4})(\\d{2})(\\d{2})", "^KH-", "[（(](.*?)[)）]", "^1\\d{10}$", "\\d+\\.\\d+", "^[A-Z]{2}\\d+$", "(\\d+)-(\\d+)-(\\d+)", "[^,]*,[^,]*", "\\p{Script=Han}+", "😀+", "a{2,5}b"])
      expect(() => assertSafePattern(p, "u"), p).not.toThrow();
  });
  it("rejects exponential and adjacent-overlap patterns", () => {
    for (const p of ["(a+)+$", "(a*)*", "(a|aa)+", "(?:\\w+\\s?)*$", "(x{2,}){3,}", "(a)\\1", "(?<n>a)\\k<n>", "\\d+\\d+$", ".*.*=.*", "\\s*\\s*$", "a+a+", ".*,.*", "a+[^,]a+\\d", "\\w+.\\w+"])
      expect(() => assertSafePattern(p), p).toThrow(/回溯|反向引用/);
  });
  it("a separator that can match the same characters does not make adjacent repeats safe (fuzz counterexample)", () => {
    // a+[^,]a+\d on "aaa…!" is cubic under a global replace: 13 s for 3,000 characters
    expect(() => assertSafePattern("a+[^,]a+\\d")).toThrow(/回溯/);
    for (const p of ["[^,]+,[^,]+", "\\d+-\\d+", "\\w+\\.\\w+", "a+b+a+"]) expect(() => assertSafePattern(p), p).not.toThrow();
  });
  it("a repeated group next to a repeat of the same characters is adjacent overlap too (fuzz counterexample)", () => {
    for (const p of ["(?:a)+a+\\d", "(a)+a+", "a+(?:a)*b", "(?:[ab])+b+"]) expect(() => assertSafePattern(p), p).toThrow(/回溯/);
    for (const p of ["(?:a)+b+", "(\\d{4})-(\\d{2})", "(?:ab)+c", "a+(?=b)b+"]) expect(() => assertSafePattern(p), p).not.toThrow();
  });

  it("limits pattern length and validates syntax and flags", () => {
    expect(() => compileSafeRegex("a".repeat(600), "", DEFAULT_LIMITS)).toThrow(/超过上限/);
    expect(() => compileSafeRegex("[", "", DEFAULT_LIMITS)).toThrow(/无效正则/);
    expect(() => compileSafeRegex("a", "x", DEFAULT_LIMITS)).toThrow(/标志/);
  });
  it("accepted patterns stay fast on adversarial input at the input cap", () => {
    const input = `${"a".repeat(DEFAULT_LIMITS.maxRegexInputLength - 1)}!`;
    for (const p of ["^(a|b)c", "(\\w+)@", "^\\s+|\\s+$", "(.*)-(x)", "[^,]*,[^,]*"]) {
      let re: RegExp;
      try {
        re = compileSafeRegex(p, "g", DEFAULT_LIMITS);
      } catch {
        continue;
      }
      const t = Date.now();
      input.replace(re, "");
      expect(Date.now() - t, p).toBeLessThan(1500);
    }
  });
});
