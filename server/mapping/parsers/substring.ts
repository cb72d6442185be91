/**
 * Substring — part of a text by character position (Unicode code points, emoji-safe).
 *
 * Why this exists: fixed-width codes (`2024030112345` → first 8 chars), target field length limits.
 * CHOICE: `start` is 0-based; a negative start counts from the end; `length` omitted = to the end.
 */
import { z } from "zod";
import { toText } from "../template";
import { defineParser } from "./types";

export const SubstringParams = z.object({
  start: z.number().int().default(0),
  length: z.number().int().min(0).optional(),
});
export type SubstringParams = z.infer<typeof SubstringParams>;

export const substringParser = defineParser<SubstringParams>({
  name: "Substring",
  label: { zh: "截取", en: "Substring" },
  description: "按字符位置截取（0 起；负数从末尾算）",
  params: [
    { name: "start", label: { zh: "起始位置", en: "Start" } },
    { name: "length", label: { zh: "长度", en: "Length" } },
  ],
  paramsSchema: SubstringParams,
  create: ({ start, length }) => (v) => {
    if (v === null || v === undefined) return v;
    const cs = Array.from(toText(v));
    const from = start < 0 ? Math.max(0, cs.length + start) : start;
    return cs.slice(from, length === undefined ? undefined : from + length).join("");
  },
});
