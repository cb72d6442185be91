import { describe, expect, it } from "vitest";
import { MappingError } from "../errors";
import { resolveTemplate } from "../validate";
import { parseExpression } from "./parser";

const ctx = { vars: { LAST_SYNC_TIME: 1709254800, CURRENT_TIME: 1709258400 } };
const f = (e: string, rec: Record<string, unknown> = {}) => resolveTemplate(`_function ${e}`, rec, ctx);

describe("_function: arithmetic and comparison", () => {
  it("Qeasy DingTalk start_time", () => {
    expect(f("({{LAST_SYNC_TIME}}-(3600 * 24))* 1000")).toBe((1709254800 - 86400) * 1000);
  });
  it("precedence, unary minus, division", () => {
    expect(f("1 + 2 * 3")).toBe(7);
    expect(f("(1 + 2) * 3")).toBe(9);
    expect(f("-2 * -3")).toBe(6);
    expect(f("7 DIV 2")).toBe(3);
    expect(f("7 % 4")).toBe(3);
    expect(f("7 MOD 4")).toBe(3);
    expect(f("1 / 0")).toBeNull();
    expect(f("0.1 + 0.2")).toBe(0.3);
    expect(f("10 / 4")).toBe(2.5);
  });
  it("placeholders are typed literals; numeric strings compute", () => {
    expect(f("{{amount}} * {{qty}}", { amount: "12.5", qty: 3 })).toBe(37.5);
    expect(f("{{a}} + 1", {})).toBeNull();
    expect(() => f("{{a}} + 1", { a: "12a" })).toThrow("'12a' 不是有效数字");
  });
  it("placeholder text cannot inject SQL structure", () => {
    expect(f("CONCAT('x', {{v}})", { v: "') OR 1=1 --" })).toBe("x') OR 1=1 --");
    expect(f("'{{v}}'", { v: "a' OR '1'='1" })).toBe("a' OR '1'='1");
    expect(f("{{v}}", { v: "1+1" })).toBe("1+1");
  });
  it("comparisons return 1/0, NULL-aware", () => {
    expect(f("2 > 1")).toBe(1);
    expect(f("'a' = 'a'")).toBe(1);
    expect(f("'10' = 10")).toBe(1);
    expect(f("'abc' <> 'abd'")).toBe(1);
    expect(f("NULL = NULL")).toBeNull();
    expect(f("NULL <=> NULL")).toBe(1);
    expect(f("3 BETWEEN 1 AND 5")).toBe(1);
    expect(f("3 NOT BETWEEN 1 AND 5")).toBe(0);
    expect(f("'b' IN ('a','b')")).toBe(1);
    expect(f("'c' NOT IN ('a','b')")).toBe(1);
    expect(f("'张三丰' LIKE '张%'")).toBe(1);
    expect(f("'abc' LIKE 'a_c'")).toBe(1);
    expect(f("'abc' NOT LIKE 'b%'")).toBe(1);
    expect(f("{{x}} IS NULL", {})).toBe(1);
    expect(f("{{x}} IS NOT NULL", { x: 0 })).toBe(1);
    expect(f("1 = 1 AND 2 = 2 OR 0")).toBe(1);
    expect(f("NOT 1 = 2")).toBe(1);
    expect(f("1 XOR 1")).toBe(0);
  });
});

describe("_function: CASE, IF, NULL functions", () => {
  it("simple CASE (Qeasy org example)", () => {
    const e = "CASE '{{FOrgId}}' WHEN '100' THEN '总部' WHEN '200' THEN '分部' ELSE '其他' END";
    expect(f(e, { FOrgId: "100" })).toBe("总部");
    expect(f(e, { FOrgId: 200 })).toBe("分部");
    expect(f(e, {})).toBe("其他");
  });
  it("searched CASE, without ELSE → NULL", () => {
    expect(f("CASE WHEN {{a}} > 10 THEN 'big' WHEN {{a}} > 5 THEN 'mid' END", { a: 7 })).toBe("mid");
    expect(f("CASE WHEN {{a}} > 10 THEN 'big' END", { a: 1 })).toBeNull();
  });
  it("IF / IFNULL / COALESCE / NULLIF are lazy", () => {
    expect(f("IF({{a}} > 0, 'pos', 'neg')", { a: -1 })).toBe("neg");
    expect(f("IF(1, 'ok', 'x' + 1)")).toBe("ok");
    expect(f("IFNULL({{a}}, 'd')", {})).toBe("d");
    expect(f("IFNULL({{a}}, 'd')", { a: "" })).toBe("");
    expect(f("COALESCE({{a}}, {{b}}, 'c')", { b: 2 })).toBe(2);
    expect(f("NULLIF(1, 1)")).toBeNull();
  });
  it("booleans compare by truth (find result TRUE)", () => {
    expect(f("CASE {{k}} WHEN TRUE THEN 'y' ELSE 'n' END", { k: true })).toBe("y");
    expect(f("CASE {{k}} WHEN TRUE THEN 'y' ELSE 'n' END", { k: "true" })).toBe("y");
    expect(f("CASE {{k}} WHEN TRUE THEN 'y' ELSE 'n' END", { k: false })).toBe("n");
  });
});

describe("_function: strings", () => {
  it("CONCAT / CONCAT_WS", () => {
    expect(f("CONCAT('客户-', {{code}}, '-', {{n}})", { code: "G1", n: 5 })).toBe("客户-G1-5");
    expect(f("CONCAT('a', NULL)")).toBeNull();
    expect(f("CONCAT_WS('-', 'a', NULL, 'b')")).toBe("a-b");
  });
  it("SUBSTRING, LEFT, RIGHT count characters (emoji-safe)", () => {
    expect(f("SUBSTRING('2024030112345', 1, 8)")).toBe("20240301");
    expect(f("SUBSTRING('abcdef', 3)")).toBe("cdef");
    expect(f("SUBSTRING('abcdef', -2)")).toBe("ef");
    expect(f("SUBSTR('你好世界', 2, 2)")).toBe("好世");
    expect(f("LEFT('😀ab', 1)")).toBe("😀");
    expect(f("RIGHT('abc', 2)")).toBe("bc");
  });
  it("REPLACE, UPPER/LOWER, TRIM, LENGTH, CHAR_LENGTH, LPAD, INSTR, REPEAT", () => {
    expect(f("REPLACE('a-b-c', '-', '/')")).toBe("a/b/c");
    expect(f("UPPER('fy001')")).toBe("FY001");
    expect(f("LOWER('ABC')")).toBe("abc");
    expect(f("TRIM('  x  ')")).toBe("x");
    expect(f("LTRIM('  x ')")).toBe("x ");
    expect(f("LENGTH('中a')")).toBe(4);
    expect(f("CHAR_LENGTH('中a')")).toBe(2);
    expect(f("LPAD('7', 3, '0')")).toBe("007");
    expect(f("RPAD('7', 3, 'ab')")).toBe("7ab");
    expect(f("INSTR('foobar', 'bar')")).toBe(4);
    expect(f("LOCATE('b', 'abcb', 3)")).toBe(4);
    expect(f("REPEAT('ab', 3)")).toBe("ababab");
  });
  it("string escapes", () => {
    expect(f("'it''s'")).toBe("it's");
    expect(f("'a\\'b'")).toBe("a'b");
    expect(f('"双引号"')).toBe("双引号");
  });
});

describe("_function: numbers and dates", () => {
  it("ROUND half away from zero, decimal-accurate", () => {
    expect(f("ROUND(1.005, 2)")).toBe(1.01);
    expect(f("ROUND(-2.5)")).toBe(-3);
    expect(f("ROUND(1234.5678, -2)")).toBe(1200);
    expect(f("ROUND({{a}} * {{b}}, 2)", { a: "19.99", b: "3" })).toBe(59.97);
    expect(f("TRUNCATE(1.999, 2)")).toBe(1.99);
    expect(f("FLOOR(-1.5)")).toBe(-2);
    expect(f("CEIL(1.1)")).toBe(2);
    expect(f("ABS(-3)")).toBe(3);
    expect(f("GREATEST(1, 5, 3)")).toBe(5);
    expect(f("LEAST(1, 5, 3)")).toBe(1);
    expect(f("CAST('12.6' AS SIGNED)")).toBe(13);
    expect(f("CAST('12.345' AS DECIMAL(10,2))")).toBe(12.35);
    expect(f("CAST(12 AS CHAR)")).toBe("12");
  });
  it("FROM_UNIXTIME / UNIX_TIMESTAMP / DATE_FORMAT in Asia/Shanghai", () => {
    expect(f("FROM_UNIXTIME({{LAST_SYNC_TIME}}-600, '%Y-%m-%d %H:%i:%s')")).toBe("2024-03-01 08:50:00");
    expect(f("FROM_UNIXTIME({{LAST_SYNC_TIME}})")).toBe("2024-03-01 09:00:00");
    expect(f("FROM_UNIXTIME(1709254800000)")).toBe("2024-03-01 09:00:00");
    expect(f("UNIX_TIMESTAMP('2024-03-01 09:00:00')")).toBe(1709254800);
    expect(f("UNIX_TIMESTAMP()")).toBe(1709258400);
    expect(f("DATE_FORMAT('2024-3-1 9:06:01', '%Y/%m/%d %T')")).toBe("2024/03/01 09:06:01");
    expect(f("DATE_FORMAT({{t}}, '%Y年%c月%e日 %W')", { t: "2024-03-01" })).toBe("2024年3月1日 Friday");
    expect(f("NOW()")).toBe("2024-03-01 10:00:00");
    expect(f("CURDATE()")).toBe("2024-03-01");
    expect(f("DATE_ADD('2024-01-31', INTERVAL 1 MONTH)")).toBe("2024-02-29");
    expect(f("DATE_SUB('2024-03-01 00:00:00', INTERVAL 1 DAY)")).toBe("2024-02-29 00:00:00");
    expect(f("'2024-03-01' + INTERVAL 2 DAY")).toBe("2024-03-03");
    expect(() => f("DATE_FORMAT('not a date', '%Y')")).toThrow(/不是有效时间/);
  });
});

describe("_function: save-time errors", () => {
  const err = (e: string) => {
    try {
      parseExpression(e);
    } catch (x) {
      return x as MappingError;
    }
    throw new Error("expected error");
  };
  it("unsupported functions are EXPR_UNSUPPORTED", () => {
    expect(err("SLEEP(10)").mappingCode).toBe("EXPR_UNSUPPORTED");
    expect(err("SLEEP(10)").message).toMatch(/不支持函数 SLEEP/);
    expect(err("BENCHMARK(1, 1)").mappingCode).toBe("EXPR_UNSUPPORTED");
  });
  it("syntax errors carry the position", () => {
    expect(err("1 +").mappingCode).toBe("EXPR_SYNTAX");
    expect(err("(1 + 2").message).toMatch(/位置/);
    expect(err("CASE 1 END").message).toMatch(/WHEN/);
    expect(err("ROUND()").message).toMatch(/参数/);
    expect(err("foo").message).toMatch(/未知标识符 FOO/);
    expect(err("'abc").message).toMatch(/引号/);
    expect(err("").message).toMatch(/为空/);
    expect(err("1 2").message).toMatch(/多余/);
    expect(err("@x").message).toMatch(/意外的字符/);
  });
  it("depth and length limits", () => {
    expect(err("(".repeat(200) + "1" + ")".repeat(200)).mappingCode).toBe("LIMIT");
    expect(err("1" + "+1".repeat(5000)).mappingCode).toBe("LIMIT");
  });
});

describe("_function: overflow", () => {
  it("non-finite arithmetic is an error", () => {
    expect(() => f("1e308 * 10")).toThrow(/数值溢出/);
  });
});
