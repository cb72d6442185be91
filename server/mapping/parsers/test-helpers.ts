/**
 * Test helper: run one parser by name with params, the way the mapper does (params validated by the
 * parser's zod schema). Lives beside the parser tests; not part of the public API.
 */
import { DEFAULT_LIMITS, type Limits } from "../limits";
import type { CustomParsers } from "../schema";
import { resolveParser } from "./registry";

export function runParser(name: string, params?: Record<string, unknown>, value?: unknown, opts: { custom?: CustomParsers; limits?: Limits; record?: unknown } = {}): unknown {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const p = resolveParser({ name, params }, opts.custom, limits);
  return p.fn(value, { field: "F", record: opts.record ?? {}, vars: {}, limits });
}
