/**
 * RegexReplace — regex replace with a safety bound.
 *
 * Why this exists: cleaning codes and names (`^KH-` → ``, `\s+` → ` `). Patterns are checked for
 * catastrophic backtracking at save time and input length is capped at run time (safe-regex.ts).
 * The replacement is a plain string with `$1`/`$<name>` references — never code.
 * CHOICE: flags default to "g" (replace all).
 */
import { z } from "zod";
import { DEFAULT_LIMITS } from "../limits";
import { assertRegexInput, compileSafeRegex } from "../safe-regex";
import { toText } from "../template";
import { defineParser } from "./types";

export const RegexReplaceParams = z.object({
  pattern: z.string().min(1).max(DEFAULT_LIMITS.maxRegexPatternLength),
  replacement: z.string().max(1000).default(""),
  flags: z.string().regex(/^[gimsu]*$/, "flags 只能包含 g i m s u").default("g"),
});
export type RegexReplaceParams = z.infer<typeof RegexReplaceParams>;

export const regexReplaceParser = defineParser<RegexReplaceParams>({
  name: "RegexReplace",
  label: { zh: "正则替换", en: "Regex replace" },
  description: "按正则替换文本（禁止灾难性回溯的写法，输入长度有上限）",
  params: [
    { name: "pattern", label: { zh: "正则", en: "Pattern" }, required: true },
    { name: "replacement", label: { zh: "替换为", en: "Replacement" }, description: "可用 $1" },
    { name: "flags", label: { zh: "标志", en: "Flags" }, description: "默认 g" },
  ],
  paramsSchema: RegexReplaceParams,
  create: ({ pattern, replacement, flags }, limits) => {
    const re = compileSafeRegex(pattern, flags, limits);
    return (v, rt) => {
      if (v === null || v === undefined) return v;
      const s = toText(v);
      assertRegexInput(s, rt.limits);
      re.lastIndex = 0;
      return s.replace(re, replacement);
    };
  },
});
