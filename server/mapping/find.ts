/**
 * `_findCollection find <field> from <flowId> where k={{v}} k2={{v2}}` — relational lookup.
 *
 * Why this exists: Qeasy schemes look up a value (e.g. a Kingdee internal id) in the stored data of
 * another scheme. Here the engine answers the lookup from that flow's ledger through
 * `ctx.findCollection`; this module only parses the clause (once) and renders its where-values.
 * Syntax (as published): single spaces between tokens, no spaces around `=`, AND-ed equalities;
 * the clause ends at `_endFind` when nested inside `_function`.
 */
import { MappingError } from "./errors";
import type { Limits } from "./limits";
import { DEFAULT_LIMITS } from "./limits";
import type { EvalEnv, Scope } from "./scope";
import { compileTemplate, renderTemplate, toText, type CompiledTemplate } from "./template";

export interface FindSpec {
  field: string;
  flowId: string;
  where: { key: string; value: CompiledTemplate }[];
  source: string;
}

export type FindFn = (q: { flowId: string; field: string; where: Record<string, string> }) => Promise<unknown>;

const NAME = /^[\p{L}\p{N}_$.\-]+$/u;

/** Parse the text after `_findCollection` (without `_endFind`). */
export function parseFind(text: string, limits: Limits = DEFAULT_LIMITS): FindSpec {
  const source = text.trim();
  if (source.length > limits.maxExpressionLength)
    throw new MappingError("LIMIT", `_findCollection 长度超过上限 ${limits.maxExpressionLength}`);
  const words = source.split(/\s+/).filter(Boolean);
  const err = (why: string) =>
    new MappingError("FIND_SYNTAX", `_findCollection 语法错误（${why}）；应为 'find <字段> from <方案ID> where k={{v}}': '${source.slice(0, 120)}'`);
  if (words[0]?.toLowerCase() !== "find") throw err("缺少 find");
  const field = words[1];
  if (!field || !NAME.test(field)) throw err("缺少要查找的字段");
  if (words[2]?.toLowerCase() !== "from") throw err("缺少 from");
  const flowId = words[3];
  if (!flowId || !NAME.test(flowId)) throw err("缺少方案ID");
  const where: { key: string; value: CompiledTemplate }[] = [];
  if (words.length > 4) {
    if (words[4].toLowerCase() !== "where") throw err(`'${words[4]}' 处应为 where`);
    // CHOICE: a word without '=' continues the previous value (values may contain spaces).
    const pairs: { key: string; value: string }[] = [];
    for (const w of words.slice(5)) {
      const eq = w.indexOf("=");
      const key = eq > 0 ? w.slice(0, eq) : "";
      if (eq > 0 && NAME.test(key)) pairs.push({ key, value: w.slice(eq + 1) });
      else if (pairs.length) pairs[pairs.length - 1].value += ` ${w}`;
      else throw err(`条件 '${w}' 应为 k=v`);
    }
    if (pairs.length === 0) throw err("where 后缺少条件");
    for (const p of pairs) where.push({ key: p.key, value: compileTemplate(p.value, limits) });
  }
  return { field, flowId, where, source };
}

export async function runFind(spec: FindSpec, scope: Scope, env: EvalEnv, find: FindFn | undefined): Promise<unknown> {
  if (!find)
    throw new MappingError("FIND_UNAVAILABLE", `_findCollection 无法执行：未提供查找服务（find ${spec.field} from ${spec.flowId}）`);
  const where: Record<string, string> = {};
  for (const w of spec.where) where[w.key] = toText(renderTemplate(w.value, scope, env));
  let v: unknown;
  try {
    v = await find({ flowId: spec.flowId, field: spec.field, where });
  } catch (e) {
    if (e instanceof MappingError) throw e;
    throw new MappingError("FIND_FAILED", `_findCollection 查找 ${spec.field} 失败: ${e instanceof Error ? e.message : String(e)}`);
  }
  // CHOICE: "not found" is null (Qeasy: returns empty); `required` then reports it.
  return v === undefined ? null : v;
}
