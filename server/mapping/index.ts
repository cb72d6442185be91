/**
 * Public API of the mapping layer (issue #8). The engine, the flow schema, the designer and the Qeasy
 * importer import from here; see types.ts for the engine contract.
 */
export { FieldMapping, ParserRef, Condition, ConditionClause, ConditionLogic, ValidationRule, CleanRule, CustomParserDef, FieldType } from "./schema";
export type { CustomParsers } from "./schema";
export type { FieldError, MapContext, MapResult } from "./types";
export { MappingError } from "./errors";
export type { MappingErrorCode } from "./errors";
export { Limits, DEFAULT_LIMITS } from "./limits";
export { compileMapper } from "./mapper";
export type { CompileOptions, Mapper } from "./mapper";
export { validateMapping, templateVariables, resolveTemplate } from "./validate";
export type { ValidateOptions } from "./validate";
export { compileFilter } from "./filter";
export { compileValidator } from "./validator";
export { compileCleaner } from "./cleaner";
export type { Cleaner } from "./cleaner";
export { flattenRecords, splitArray } from "./flatten";
export type { FlattenOptions, SplitOptions } from "./flatten";
export { listParsers, normalizeParsers } from "./parsers/registry";
export type { ParserInfo } from "./parsers/registry";
export { dingtalkFormToRecord, tableRowsToRecords } from "./dingtalk";
export { SUPPORTED_FUNCTIONS } from "./expr/functions-meta";
