/**
 * StringToArray — `"a,b"` → `["a","b"]`; empty/blank → `[]`.
 *
 * Why this exists: comma lists in source fields (tags, user ids) that targets want as arrays.
 * CHOICE: items are trimmed and empty items dropped; an array input passes through unchanged.
 */
import { z } from "zod";
import { toText } from "../template";
import { defineParser } from "./types";

export const StringToArrayParams = z.object({
  separator: z.string().min(1).max(16).default(","),
  trim: z.boolean().default(true),
});
export type StringToArrayParams = z.infer<typeof StringToArrayParams>;

export const stringToArrayParser = defineParser<StringToArrayParams>({
  name: "StringToArray",
  label: { zh: "字符串转数组", en: "String to array" },
  description: '"a,b" → ["a","b"]，空串 → []',
  params: [
    { name: "separator", label: { zh: "分隔符", en: "Separator" }, description: "默认 ,", required: false },
    { name: "trim", label: { zh: "去除空白", en: "Trim items" }, required: false },
  ],
  paramsSchema: StringToArrayParams,
  positional: "separator",
  handlesEmpty: true,
  create: ({ separator, trim }) => (v) => {
    if (v === null || v === undefined) return [];
    if (Array.isArray(v)) return v;
    const s = toText(v);
    if (s.trim() === "") return [];
    const items = s.split(separator);
    return trim ? items.map((x) => x.trim()).filter((x) => x !== "") : items;
  },
});
