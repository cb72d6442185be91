/**
 * ConvertJson — `{"1033":"x","2052":"y"}` → `[{"Key":1033,"Value":"x"},{"Key":2052,"Value":"y"}]`.
 *
 * Why this exists: Kingdee multilingual fields are lists of `{Key: LCID, Value}`; sources often hold
 * them as a JSON object text (with newlines, which Qeasy strips first).
 * CHOICE: numeric keys become numbers, others stay strings; an array input passes through.
 */
import { z } from "zod";
import { MappingError, showValue } from "../errors";
import { defineParser } from "./types";

export const ConvertJsonParams = z.object({});
export type ConvertJsonParams = z.infer<typeof ConvertJsonParams>;

export const convertJsonParser = defineParser<ConvertJsonParams>({
  name: "ConvertJson",
  label: { zh: "JSON 转键值数组", en: "JSON to Key/Value list" },
  description: '{"2052":"名称"} → [{"Key":2052,"Value":"名称"}]',
  params: [],
  paramsSchema: ConvertJsonParams,
  create: () => (v) => {
    let obj: unknown = v;
    if (typeof v === "string") {
      try {
        obj = JSON.parse(v.replace(/[\r\n]+/g, ""));
      } catch {
        throw new MappingError("PARSER_FAILED", `${showValue(v)} 不是有效 JSON`);
      }
    }
    if (Array.isArray(obj)) return obj;
    if (obj === null || typeof obj !== "object") throw new MappingError("PARSER_FAILED", `${showValue(v)} 不是 JSON 对象`);
    return Object.entries(obj as Record<string, unknown>).map(([k, val]) => ({
      Key: /^-?\d+$/.test(k) ? Number(k) : k,
      Value: val,
    }));
  },
});
