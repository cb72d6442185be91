/**
 * ArrayUnique — removes duplicate items (first occurrence wins; objects compared by JSON).
 *
 * Why this exists: Qeasy chains `StringToArray,ArrayUnique`; the name appears in published configs.
 */
import { z } from "zod";
import { defineParser } from "./types";

export const ArrayUniqueParams = z.object({});
export type ArrayUniqueParams = z.infer<typeof ArrayUniqueParams>;

export const arrayUniqueParser = defineParser<ArrayUniqueParams>({
  name: "ArrayUnique",
  label: { zh: "数组去重", en: "Unique items" },
  description: '["a","a","b"] → ["a","b"]',
  params: [],
  paramsSchema: ArrayUniqueParams,
  create: () => (v) => {
    if (!Array.isArray(v)) return v;
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const x of v) {
      const k = typeof x === "object" && x !== null ? `o:${JSON.stringify(x)}` : `${typeof x}:${String(x)}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  },
});
