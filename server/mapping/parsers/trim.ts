/**
 * Trim — strip surrounding whitespace (incl. full-width space, NBSP, zero-width), optionally collapse.
 *
 * Why this exists: names typed in Chinese UIs carry `　` (U+3000) and stray line breaks.
 */
import { z } from "zod";
import { defineParser } from "./types";

export const TrimParams = z.object({
  mode: z.enum(["both", "start", "end"]).default("both"),
  collapse: z.boolean().default(false),
});
export type TrimParams = z.infer<typeof TrimParams>;

export const WS = "[\\s\\u3000\\u00a0\\u200b\\u200c\\u200d\\ufeff]";
const START = new RegExp(`^${WS}+`);
const END = new RegExp(`${WS}+$`);
const RUNS = new RegExp(`${WS}+`, "g");

export const trimParser = defineParser<TrimParams>({
  name: "Trim",
  label: { zh: "去除空白", en: "Trim" },
  description: "去除首尾空白（含全角空格），可合并中间连续空白",
  params: [
    { name: "mode", label: { zh: "位置", en: "Where" }, description: "both / start / end" },
    { name: "collapse", label: { zh: "合并连续空白", en: "Collapse inner whitespace" } },
  ],
  paramsSchema: TrimParams,
  create: ({ mode, collapse }) => (v) => {
    if (typeof v !== "string") return v;
    let s = v;
    if (mode !== "end") s = s.replace(START, "");
    if (mode !== "start") s = s.replace(END, "");
    if (collapse) s = s.replace(RUNS, " ");
    return s;
  },
});
