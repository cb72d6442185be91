/**
 * Unit tests of the FilterString tokenizer/parser/evaluator.
 */
import { describe, expect, it } from "vitest";
import { FilterSyntaxError, evalFilter, filterFields, parseFilter, tokenize, type Typed } from "./filter";

const row: Record<string, Typed> = {
  FNumber: { type: "string", v: "CUST-001" },
  FName: { type: "string", v: "客户'甲'" },
  FAmount: { type: "number", v: 12.5 },
  FIsBorrow: { type: "bool", v: true },
  FDate: { type: "date", v: Date.UTC(2026, 0, 31, 2, 0, 0) }, // 2026-01-31 10:00:00 +08
  "FCreateOrgId.FNumber": { type: "string", v: "100" },
  FEmpty: null,
};
const read = (n: string): Typed => (n in row ? row[n] : null);
const ok = (f: string) => evalFilter(parseFilter(f), read);

describe("kingdee FilterString", () => {
  it("tokenizes strings with '' escapes, N'' literals, negative numbers, dotted fields and operators", () => {
    const toks = tokenize("FName = N'a''b' AND FAmount>=-1.5 OR FCreateOrgId.FNumber != '100'");
    expect(toks.map((t) => ("v" in t ? t.v : t.t))).toEqual(["FName", "=", "a'b", "AND", "FAmount", ">=", -1.5, "OR", "FCreateOrgId.FNumber", "<>", "100", "eof"]);
  });

  it("evaluates comparisons by field type", () => {
    expect(ok("FNumber = 'CUST-001'")).toBe(true);
    expect(ok("FNumber = 'cust-001'")).toBe(false);
    expect(ok("FName = '客户''甲'''")).toBe(true);
    expect(ok("FAmount > 12 AND FAmount < 13 AND FAmount <= 12.5 AND FAmount >= 12.5")).toBe(true);
    expect(ok("FAmount = '12.5'")).toBe(true);
    expect(ok("FIsBorrow = 1 AND FIsBorrow = 'true' AND NOT FIsBorrow = 0")).toBe(true);
    expect(ok("FDate >= '2026-01-31' AND FDate < '2026-01-31 10:00:01' AND FDate = '2026-01-31T10:00:00'")).toBe(true);
    expect(ok("FDate > '2026-02-01'")).toBe(false);
    expect(ok("FCreateOrgId.FNumber IN ('101', '100')")).toBe(true);
    expect(ok("FCreateOrgId.FNumber NOT IN ('100')")).toBe(false);
    expect(ok("FNumber LIKE 'CUST%' AND FNumber LIKE '%-00_' AND FNumber NOT LIKE 'X%'")).toBe(true);
    expect(ok("FNumber LIKE 'C.ST%'")).toBe(false);
    expect(ok("FEmpty IS NULL AND FNumber IS NOT NULL")).toBe(true);
    expect(ok("FEmpty = ''")).toBe(false);
    expect(ok("FAmount BETWEEN 10 AND 20 AND FAmount NOT BETWEEN 13 AND 14")).toBe(true);
  });

  it("respects precedence (AND over OR), parentheses and NOT", () => {
    expect(ok("FAmount = 1 OR FAmount = 12.5 AND FNumber = 'x'")).toBe(false);
    expect(ok("(FAmount = 1 OR FAmount = 12.5) AND FNumber = 'CUST-001'")).toBe(true);
    expect(ok("NOT (FAmount = 1 OR FNumber = 'x')")).toBe(true);
    expect(ok("((FAmount = 12.5))")).toBe(true);
    expect(parseFilter("   ")).toBeNull();
  });

  it("lists referenced fields and reports syntax errors", () => {
    expect([...filterFields(parseFilter("A = 1 AND (B IN (C, 2) OR D LIKE 'x' OR E IS NULL)"))]).toEqual(["A", "B", "C", "D", "E"]);
    for (const bad of ["FNumber =", "(FNumber = 'a'", "FNumber = 'a", "FNumber == 'a'", "AND", "FNumber IN 'a'", "FNumber 'a'", "FNumber = 'a' FName", "FNumber ; 1", "FNumber IS 1"]) {
      expect(() => parseFilter(bad), bad).toThrow(FilterSyntaxError);
    }
  });
});
