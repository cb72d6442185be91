/**
 * Property tests: random templates, expressions, records and regexes never throw anything but
 * MappingError, never hang (bounded time per evaluation) and never exceed the output limit.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCleaner } from "./cleaner";
import { MappingError } from "./errors";
import { compileFilter } from "./filter";
import { compileValidator } from "./validator";
import { compileMapper } from "./mapper";
import { compileSafeRegex } from "./safe-regex";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { compileValue, evalValue } from "./value";
import { resolveTemplate, templateVariables, validateMapping } from "./validate";

const LIMITS: Limits = { ...DEFAULT_LIMITS, maxOutputLength: 10_000, maxExpressionLength: 2_000, maxTemplateLength: 2_000 };
const ctx = { vars: { LAST_SYNC_TIME: 1709254800, CURRENT_TIME: 1709258400 } };

const TOKENS = [
  "{{", "}}", "{", "}", "|", ".", "[", "]", "[0]", "|datetime", "|date", "|timestamp_ms", "_function ", "_findCollection ", "_endFind",
  "find ", " from ", " where ", "=", "(", ")", ",", "'", '"', "\\", "+", "-", "*", "/", "%", "<", ">", "<=>", "!=", " ", "\n",
  "CASE ", " WHEN ", " THEN ", " ELSE ", " END", "AND ", "OR ", "NOT ", "IS NULL", " IN ", " LIKE ", "BETWEEN ", "INTERVAL 1 DAY",
  "CONCAT(", "IF(", "IFNULL(", "COALESCE(", "FROM_UNIXTIME(", "UNIX_TIMESTAMP(", "DATE_FORMAT(", "ROUND(", "SUBSTRING(", "REPLACE(",
  "UPPER(", "LPAD(", "REPEAT(", "LENGTH(", "name", "code", "amount", "LAST_SYNC_TIME", "a.b", "rows", "金额", "😀", "1", "0", "-1",
  "1e308", "99999999999", "3.14", "'%Y-%m-%d'", "NULL", "TRUE", "'x'",
];

const tokenString = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 }), fc.string({ unit: "grapheme", maxLength: 3 })), { maxLength: 40 }).map((a) => a.join(""));

const record = fc.record(
  {
    name: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    code: fc.oneof(fc.string({ unit: "grapheme" }), fc.double()),
    amount: fc.oneof(fc.double(), fc.string(), fc.constant("1,234.50"), fc.constant(undefined)),
    a: fc.jsonValue({ maxDepth: 3 }),
    rows: fc.array(fc.dictionary(fc.constantFrom("name", "code", "金额"), fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }),
    金额: fc.oneof(fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
);

function checkOutcome(run: () => unknown): void {
  const t = performance.now();
  try {
    const v = run();
    if (typeof v === "string") expect(v.length).toBeLessThanOrEqual(LIMITS.maxOutputLength);
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    expect(typeof e.mappingCode).toBe("string");
    expect(e.message.length).toBeGreaterThan(0);
  }
  // bounded evaluation: a hang would take far longer than this generous bound (shared 2-core machines)
  expect(performance.now() - t).toBeLessThan(2000);
}

describe("fuzz: templates and expressions", () => {
  it("random token soup compiles and evaluates to a value or a MappingError, fast", () => {
    fc.assert(
      fc.property(tokenString, record, (src, rec) => {
        checkOutcome(() => templateVariables(src));
        checkOutcome(() => {
          const cv = compileValue(src, LIMITS);
          const v = evalValue(cv, { record: rec }, { ...ctx }, LIMITS);
          if (v instanceof Promise) {
            v.catch(() => undefined);
            return undefined;
          }
          return v;
        });
        checkOutcome(() => resolveTemplate(src, rec, ctx));
      }),
      { numRuns: 1500 },
    );
  });

  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("1", "0", "-2.5", "'a'", "'中文😀'", "NULL", "TRUE", "{{amount}}", "{{name}}", "{{code}}", "'{{金额}}'", "{{LAST_SYNC_TIME}}", "{{missing}}"),
      fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "%", " DIV ", "=", "<>", "<", ">=", "<=>", " AND ", " OR ", " XOR ", " LIKE "), tie("e")).map(([a, op, b]) => `(${a}${op}${b})`),
      fc.tuple(fc.constantFrom("CONCAT", "IFNULL", "COALESCE", "ROUND", "REPLACE", "SUBSTRING", "LPAD", "REPEAT", "GREATEST", "FROM_UNIXTIME", "DATE_FORMAT", "UPPER", "LENGTH", "IF", "CONCAT_WS", "TRUNCATE", "LEFT", "INSTR", "NULLIF", "MOD"), fc.array(tie("e"), { minLength: 1, maxLength: 3 })).map(([f, args]) => `${f}(${args.join(", ")})`),
      fc.tuple(tie("e"), tie("e"), tie("e")).map(([a, b, c]) => `CASE ${a} WHEN ${b} THEN ${c} ELSE ${a} END`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `CASE WHEN ${a} THEN ${b} END`),
      fc.tuple(tie("e"), tie("e"), tie("e")).map(([a, b, c]) => `${a} BETWEEN ${b} AND ${c}`),
      fc.tuple(tie("e"), fc.array(tie("e"), { minLength: 1, maxLength: 3 })).map(([a, l]) => `${a} NOT IN (${l.join(",")})`),
      tie("e").map((a) => `NOT ${a}`),
      tie("e").map((a) => `-${a}`),
      tie("e").map((a) => `${a} IS NOT NULL`),
    ),
  })).e;

  it("grammar-generated _function expressions evaluate or fail with MappingError", () => {
    fc.assert(
      fc.property(expr, record, (e, rec) => {
        checkOutcome(() => {
          const cv = compileValue(`_function ${e}`, LIMITS);
          return evalValue(cv, { record: rec }, ctx, LIMITS);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it("output-amplifying expressions hit the output limit instead of allocating", () => {
    for (const e of ["REPEAT('x', 100000000)", "LPAD('x', 100000000, 'y')", "REPLACE(REPEAT('ab', 5000), 'a', REPEAT('z', 5000))", "CONCAT(REPEAT('a', 9000), REPEAT('b', 9000))"]) {
      expect(() => evalValue(compileValue(`_function ${e}`, LIMITS), { record: {} }, ctx, LIMITS), e).toThrow(/上限/);
    }
  });

  it("deeply nested input is rejected with a LIMIT error, not a stack overflow", () => {
    for (const src of ["_function " + "(".repeat(5000) + "1" + ")".repeat(5000), "_function " + "-".repeat(1500) + "1", "_function " + "CONCAT(".repeat(300) + "'a'" + ")".repeat(300)]) {
      try {
        compileValue(src, DEFAULT_LIMITS);
        expect.unreachable(src.slice(0, 30));
      } catch (e) {
        expect(e).toBeInstanceOf(MappingError);
        expect((e as MappingError).mappingCode).toBe("LIMIT");
      }
    }
  });
});

describe("fuzz: mapper and validation", () => {
  const fields = [
    { field: "A", value: "{{name}}", type: "string" as const },
    { field: "B", value: "{{amount}}", type: "number" as const, parsers: [{ name: "NumberFormat", params: { precision: 2 } }] },
    { field: "C", value: "_function CONCAT(IFNULL({{code}}, ''), '-', ROUND({{amount}}, 1))" },
    { field: "D", value: "{{a}}", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
    { field: "E", value: "{{rows}}", children: [{ field: "F", value: "{{金额}}", type: "int" as const }, { field: "G", value: "{{name}}", parsers: [{ name: "Trim" }, { name: "Case", params: { to: "upper" } }] }] },
    { field: "H", value: "{{a.b}}", type: "datetime" as const, default: "{{LAST_SYNC_TIME|datetime}}" },
  ];
  const m = compileMapper(fields);
  it("map never rejects: every problem is a FieldError with a path", async () => {
    await fc.assert(
      fc.asyncProperty(record, async (rec) => {
        const r = await m.map(rec as Record<string, unknown>, ctx);
        for (const e of r.errors) {
          expect(typeof e.field).toBe("string");
          expect(e.field.length).toBeGreaterThan(0);
          expect(typeof e.message).toBe("string");
        }
      }),
      { numRuns: 1000 },
    );
  });
  it("validateMapping never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (j) => {
        const errs = validateMapping(j as never);
        expect(Array.isArray(errs)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it("random regex patterns are either rejected or run fast on adversarial input", () => {
    const atoms = fc.constantFrom("a", "b", ".", "\\d", "\\w", "\\s", "[ab]", "[^,]", ",", "(", ")", "(?:", "|", "*", "+", "?", "{2,}", "{1,3}", "^", "$", "\\1");
    const input = `${"a".repeat(3000)}!`;
    fc.assert(
      fc.property(fc.array(atoms, { maxLength: 12 }).map((a) => a.join("")), (p) => {
        let re: RegExp;
        try {
          re = compileSafeRegex(p, "g", DEFAULT_LIMITS);
        } catch (e) {
          expect(e).toBeInstanceOf(MappingError);
          return;
        }
        const t = performance.now();
        input.replace(re, "");
        expect(performance.now() - t).toBeLessThan(2000);
      }),
      { numRuns: 1500 },
    );
  });
});

describe("fuzz: type preservation", () => {
  it("a template that is exactly one placeholder returns the value itself", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(resolveTemplate("{{x}}", { x: v }, ctx)).toBe(v);
        expect(resolveTemplate("{x}", { x: v }, ctx)).toBe(v);
      }),
      { numRuns: 500 },
    );
  });
  it("mixed text is always a string", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (v, s) => {
        const out = resolveTemplate(`前缀{{x}}${s.replace(/[{}\\]/g, "")}`, { x: v }, ctx);
        expect(typeof out).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});

describe("fuzz: filters, validation rules and cleaning", () => {
  const anyRecord = fc.dictionary(fc.constantFrom("a", "b", "status", "金额", "id", "d"), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
  const clause = fc.record({
    field: fc.constantFrom("a", "b", "status", "金额", "a.b", "rows.x", "id"),
    logic: fc.constantFrom("eq", "eqv2", "neq", "in", "notin", "gt", "egt", "lt", "elt", "like", "isNull", "notNull"),
    value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom("%a%", "_", "1,2,3", "2024-03-01")),
  });
  it("compiled filters return booleans for any record", () => {
    fc.assert(
      fc.property(fc.array(fc.array(clause, { maxLength: 3 }), { maxLength: 3 }), anyRecord, (cond, rec) => {
        expect(typeof compileFilter(cond)(rec)).toBe("boolean");
      }),
      { numRuns: 800 },
    );
  });
  it("validators return FieldErrors for any record", () => {
    const rules = [
      { type: "required" as const, field: "a" },
      { type: "type" as const, field: "金额", dataType: "number" as const },
      { type: "regex" as const, field: "status", pattern: "^[A-Z]+$" },
      { type: "enum" as const, field: "b", values: [1, "x"] },
      { type: "range" as const, field: "金额", min: 0 },
      { type: "length" as const, field: "a", max: 3 },
    ];
    const v = compileValidator(rules);
    fc.assert(
      fc.property(anyRecord, (rec) => {
        for (const e of v(rec)) expect(rules.map((r) => r.field)).toContain(e.field);
      }),
      { numRuns: 800 },
    );
  });
  it("cleaners never throw and keep page size bounds", () => {
    const c = compileCleaner([{ type: "dingtalkForm" }, { type: "fullWidthToHalfWidth" }, { type: "normalizeWhitespace" }, { type: "standardizeDates", fields: ["d"] }, { type: "dropEmpty" }, { type: "dedupe", idField: "id" }]);
    fc.assert(
      fc.property(fc.array(anyRecord, { maxLength: 10 }), (page) => {
        expect(c(page).length).toBeLessThanOrEqual(page.length);
      }),
      { numRuns: 500 },
    );
  });
});
