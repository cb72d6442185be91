/**
 * Parser plug-in contract.
 *
 * Why this exists: every built-in parser is one file declaring its UI metadata (labels zh/en,
 * parameter descriptions), a zod params schema (validated at save time) and a factory that returns
 * the value transform. The registry and the mapper only know this shape.
 */
import type { z } from "zod";
import type { Limits } from "../limits";

export interface ParserParamInfo {
  name: string;
  label: { zh: string; en: string };
  description?: string;
  required?: boolean;
}

export interface ParserRuntime {
  field: string;
  record: unknown;
  vars: Record<string, unknown>;
  limits: Limits;
}

export type ParserFn = (value: unknown, rt: ParserRuntime) => unknown;

export interface ParserDef<P = unknown> {
  name: string;
  label: { zh: string; en: string };
  description: string;
  params: ParserParamInfo[];
  paramsSchema: z.ZodType<P>;
  /** Qeasy writes a single string param (`"params":"FNumber"`): it becomes this named param */
  positional?: string;
  /** receives null/undefined/'' too (others are skipped on empty input) */
  handlesEmpty?: boolean;
  create(params: P, limits: Limits): ParserFn;
}

/** Helper that keeps P checked inside the definition while the registry stores ParserDef<unknown>. */
export function defineParser<P>(def: ParserDef<P>): ParserDef<unknown> {
  return def as unknown as ParserDef<unknown>;
}
