/**
 * Dictionary — value lookup (`"COMPLETED"` → `"已完成"`, `"1"` → `"A"`), with a default.
 *
 * Why this exists: status codes, org codes and enums differ between systems; analysts maintain the
 * table in the designer. Keys are compared as text.
 * CHOICE: an unmatched value yields `default` when one is given, else (onMissing "keep") the input;
 * onMissing "error" reports it.
 */
import { z } from "zod";
import { MappingError, showValue } from "../errors";
import { toText } from "../template";
import { defineParser } from "./types";

export const DictionaryParams = z.object({
  map: z.record(z.string(), z.unknown()),
  default: z.unknown().optional(),
  onMissing: z.enum(["keep", "default", "error"]).optional(),
});
export type DictionaryParams = z.infer<typeof DictionaryParams>;

const hasOwn = Object.prototype.hasOwnProperty;

export const dictionaryParser = defineParser<DictionaryParams>({
  name: "Dictionary",
  label: { zh: "字典映射", en: "Value map" },
  description: "按对照表转换取值，未匹配时用默认值",
  params: [
    { name: "map", label: { zh: "对照表", en: "Map" }, description: '{"源值":"目标值"}', required: true },
    { name: "default", label: { zh: "默认值", en: "Default" } },
    { name: "onMissing", label: { zh: "未匹配时", en: "When missing" }, description: "keep / default / error" },
  ],
  paramsSchema: DictionaryParams,
  handlesEmpty: true,
  create: (p) => {
    const onMissing = p.onMissing ?? (hasOwn.call(p, "default") ? "default" : "keep");
    return (v) => {
      const k = toText(v);
      if (hasOwn.call(p.map, k)) return p.map[k];
      if (onMissing === "default") return p.default;
      if (onMissing === "error") throw new MappingError("PARSER_FAILED", `${showValue(v)} 不在字典中`);
      return v;
    };
  },
});
