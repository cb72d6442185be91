/**
 * Zod schemas of the mapping language (each schema shares its name with its type).
 *
 * Why this exists: mappings, filters, validation and cleaning rules arrive as JSON (flow documents,
 * imported Qeasy configs, the designer). These schemas are the single definition used to validate
 * them; the types in types.ts are the contract with the engine and are checked against them here.
 */
import { z } from "zod";
import type * as T from "./types";

export const ParserRef = z.object({
  name: z.string().min(1, "解析器名称不能为空"),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type ParserRef = T.ParserRef;

export const FieldType = z.enum(["string", "int", "number", "boolean", "object", "array", "datetime"]);
export type FieldType = z.infer<typeof FieldType>;

/** CHOICE: numeric/boolean `value`/`default` (seen in hand-written Qeasy JSON) are accepted as their text. */
const TextValue = z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string());

export const FieldMapping: z.ZodType<T.FieldMapping, unknown> = z.object({
  field: z.string().min(1, "目标字段名不能为空").refine((f) => f !== "__proto__", "目标字段名不能为 __proto__"),
  label: z.string().optional(),
  type: FieldType.optional(),
  value: TextValue.optional(),
  parsers: z.array(ParserRef).optional(),
  default: TextValue.optional(),
  required: z.boolean().optional(),
  get children() {
    return z.array(FieldMapping).optional();
  },
});
export type FieldMapping = T.FieldMapping;

export const ConditionLogic = z.enum(["eq", "eqv2", "neq", "in", "notin", "gt", "egt", "lt", "elt", "like", "isNull", "notNull"]);
export type ConditionLogic = z.infer<typeof ConditionLogic>;

export const ConditionClause = z.object({
  field: z.string().min(1, "条件字段不能为空"),
  logic: ConditionLogic,
  value: z.unknown().optional(),
});
export type ConditionClause = z.infer<typeof ConditionClause>;

/**
 * `condition`: OR of AND-groups (Qeasy shape `[[clause, clause], [clause]]`).
 * CHOICE: a flat array of clauses is accepted as one AND-group.
 */
export const Condition = z.preprocess(
  (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x)) ? [v] : v),
  z.array(z.array(ConditionClause)),
);
export type Condition = z.infer<typeof Condition>;

const ruleBase = { field: z.string().min(1), message: z.string().optional() };

export const ValidationRule = z.discriminatedUnion("type", [
  z.object({ type: z.literal("required"), ...ruleBase }),
  z.object({ type: z.literal("type"), ...ruleBase, dataType: FieldType }),
  z.object({ type: z.literal("regex"), ...ruleBase, pattern: z.string().min(1), flags: z.string().regex(/^[imsu]*$/).optional() }),
  z.object({ type: z.literal("enum"), ...ruleBase, values: z.array(z.unknown()).min(1) }),
  z.object({ type: z.literal("range"), ...ruleBase, min: z.number().optional(), max: z.number().optional() }),
  z.object({ type: z.literal("length"), ...ruleBase, min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
]);
export type ValidationRule = z.infer<typeof ValidationRule>;

export const CleanRule = z.discriminatedUnion("type", [
  /** remove null / undefined / blank-string / empty-array fields */
  z.object({ type: z.literal("dropEmpty"), fields: z.array(z.string()).optional() }),
  /** keep only the listed top-level fields */
  z.object({ type: z.literal("dropUnknown"), keep: z.array(z.string()).min(1) }),
  /** parse dates leniently and rewrite them in one format (default yyyy-MM-dd HH:mm:ss, Shanghai) */
  z.object({ type: z.literal("standardizeDates"), fields: z.array(z.string()).min(1), format: z.string().optional() }),
  /** trim and collapse runs of whitespace (incl. full-width space, NBSP, zero-width) */
  z.object({ type: z.literal("normalizeWhitespace"), fields: z.array(z.string()).optional() }),
  /** full-width ASCII (ＡＢＣ１２３，（）) → half-width */
  z.object({ type: z.literal("fullWidthToHalfWidth"), fields: z.array(z.string()).optional() }),
  /** DingTalk approval: merge `form_component_values` into the record by label (`{{金额}}`), tables as row arrays */
  z.object({ type: z.literal("dingtalkForm"), field: z.string().optional(), keys: z.enum(["label", "id", "both"]).optional() }),
  /** dedupe within a page by id; CHOICE: default keeps the last occurrence (the newest state) */
  z.object({ type: z.literal("dedupe"), idField: z.string().min(1), keep: z.enum(["first", "last"]).optional() }),
]);
export type CleanRule = z.infer<typeof CleanRule>;

/** A named, saved JSONata expression usable as parser `Custom:<id>` (users add them without code). */
export const CustomParserDef = z.object({
  expression: z.string().min(1).max(10_000),
  /** default parameter values, overridden by ParserRef.params; bound as `$<name>` and `$params` */
  params: z.record(z.string(), z.unknown()).optional(),
  label: z.string().optional(),
  description: z.string().optional(),
});
export type CustomParserDef = z.infer<typeof CustomParserDef>;
export type CustomParsers = Record<string, CustomParserDef>;
