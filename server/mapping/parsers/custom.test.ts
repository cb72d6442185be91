import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../limits";
import { normalizeParsers } from "./registry";
import { runParser } from "./test-helpers";

const custom = {
  orgRule: { expression: '{"FNumber": $value = "100" ? "100" : $fallback}', params: { fallback: "200" } },
  upperName: { expression: "$uppercase($record.name) & '-' & $", label: "名称大写" },
  loop: { expression: "($f := function($x){ $f($x + 1) }; $f(0))" },
  slow: { expression: "$count([1..5000000])" },
  evil: { expression: "$match($, /(a+)+$/)" },
  bigpad: { expression: '$pad("", 100000000)' },
};

describe("Custom:<id> (JSONata)", () => {
  it("evaluates with $value, $record and params (seed: CustomParser {ruleId: orgRule})", async () => {
    expect(await runParser("Custom:orgRule", undefined, "100", { custom })).toEqual({ FNumber: "100" });
    expect(await runParser("Custom:orgRule", undefined, "300", { custom })).toEqual({ FNumber: "200" });
    expect(await runParser("Custom:orgRule", { fallback: "900" }, "300", { custom })).toEqual({ FNumber: "900" });
    expect(await runParser("Custom:upperName", undefined, "x", { custom, record: { name: "abc" } })).toBe("ABC-x");
  });
  it("Qeasy's CustomParser {ruleId} notation normalises to Custom:<id>", async () => {
    const [ref] = normalizeParsers({ name: "CustomParser", params: { ruleId: "orgRule" } });
    expect(ref).toEqual({ name: "Custom:orgRule" });
    expect(await runParser("CustomParser", { ruleId: "orgRule" }, "100", { custom })).toEqual({ FNumber: "100" });
  });
  it("unknown id and syntax errors are compile-time errors", () => {
    expect(() => runParser("Custom:nope", undefined, 1, { custom })).toThrow(/未找到自定义解析器 'nope'/);
    expect(() => runParser("Custom:bad", undefined, 1, { custom: { bad: { expression: "1 +" } } })).toThrow(/表达式有误/);
    expect(() => runParser("Custom:bad", undefined, 1, { custom: { bad: { expression: 42 } } as never })).toThrow(/定义无效: expression/);
  });
  it("unsafe regex literals are rejected", () => {
    expect(() => runParser("Custom:evil", undefined, "a", { custom })).toThrow(/回溯/);
  });
  it("infinite recursion, long loops and huge pads are bounded", async () => {
    const limits = { ...DEFAULT_LIMITS, customTimeoutMs: 100 };
    await expect(runParser("Custom:loop", undefined, 1, { custom, limits }) as Promise<unknown>).rejects.toThrow(/自定义解析器 loop/);
    const t = Date.now();
    await expect(runParser("Custom:slow", undefined, 1, { custom, limits }) as Promise<unknown>).rejects.toThrow();
    expect(Date.now() - t).toBeLessThan(3000);
    await expect(runParser("Custom:bigpad", undefined, 1, { custom }) as Promise<unknown>).rejects.toThrow(/上限/);
  });
  it("cannot reach JavaScript", async () => {
    const c = { js: { expression: '$eval("process")' }, ctor: { expression: "$.constructor" } };
    expect(await runParser("Custom:js", undefined, 1, { custom: c })).toBeNull();
    expect(await runParser("Custom:ctor", undefined, {}, { custom: c })).toBeNull();
  });
});
