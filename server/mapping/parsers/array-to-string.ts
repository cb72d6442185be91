/**
 * ArrayToString — `["a","b"]` → `"a,b"` (implode); used for Kingdee `FieldKeys`.
 *
 * Why this exists: targets that want delimited text from array sources. Objects inside the array
 * are written as JSON; a scalar input becomes its text form.
 */
import { z } from "zod";
import { MappingError } from "../errors";
import { toText } from "../template";
import { defineParser } from "./types";

export const ArrayToStringParams = z.object({ separator: z.string().max(16).default(",") });
export type ArrayToStringParams = z.infer<typeof ArrayToStringParams>;

export const arrayToStringParser = defineParser<ArrayToStringParams>({
  name: "ArrayToString",
  label: { zh: "数组转字符串", en: "Array to string" },
  description: '["a","b"] → "a,b"',
  params: [{ name: "separator", label: { zh: "分隔符", en: "Separator" }, description: "默认 ,", required: false }],
  paramsSchema: ArrayToStringParams,
  positional: "separator",
  create: ({ separator }) => (v, rt) => {
    if (!Array.isArray(v)) return toText(v);
    const out = v.map(toText).join(separator);
    if (out.length > rt.limits.maxOutputLength) throw new MappingError("LIMIT", `结果长度超过上限 ${rt.limits.maxOutputLength}`);
    return out;
  },
});
