/**
 * Evaluation limits.
 *
 * Why this exists: templates, `_function` expressions, regexes and custom JSONata parsers come from
 * users (and imported Qeasy configs). Every evaluator checks these bounds so that no input can hang a
 * run, blow the stack or allocate unbounded strings; a breach is a MappingError with code LIMIT.
 */
import { z } from "zod";

export const Limits = z.object({
  /** max characters of one template / field value */
  maxTemplateLength: z.number().int().positive().default(20_000),
  /** max characters of one `_function` / `_findCollection` expression */
  maxExpressionLength: z.number().int().positive().default(8_000),
  /** max nesting depth of expressions (parentheses, function calls, CASE) and of children */
  maxDepth: z.number().int().positive().default(48),
  /** max length of any string produced by a template, expression or parser */
  maxOutputLength: z.number().int().positive().default(1_000_000),
  /** max characters fed to a user regex (longer input is rejected, not truncated) */
  maxRegexInputLength: z.number().int().positive().default(10_000),
  /** max characters of a user regex pattern */
  maxRegexPatternLength: z.number().int().positive().default(500),
  /** max rows of one entry (children) table */
  maxRows: z.number().int().positive().default(10_000),
  /** custom (JSONata) parser time budget per call, ms */
  customTimeoutMs: z.number().int().positive().default(200),
  /** custom (JSONata) parser max evaluation stack depth */
  customMaxStack: z.number().int().positive().default(200),
});
export type Limits = z.infer<typeof Limits>;

export const DEFAULT_LIMITS: Limits = Limits.parse({});

export function resolveLimits(partial?: Partial<Limits>): Limits {
  return partial ? { ...DEFAULT_LIMITS, ...partial } : DEFAULT_LIMITS;
}
