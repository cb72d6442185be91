/**
 * Case — upper / lower case (codes such as `fy001` → `FY001`).
 *
 * Why this exists: Kingdee numbers and Guanyi codes differ in case between systems.
 */
import { z } from "zod";
import { defineParser } from "./types";

export const CaseParams = z.object({ to: z.enum(["upper", "lower"]) });
export type CaseParams = z.infer<typeof CaseParams>;

export const caseParser = defineParser<CaseParams>({
  name: "Case",
  label: { zh: "大小写转换", en: "Change case" },
  description: "upper: fy001 → FY001；lower 反之",
  params: [{ name: "to", label: { zh: "转为", en: "To" }, description: "upper / lower", required: true }],
  paramsSchema: CaseParams,
  positional: "to",
  create: ({ to }) => (v) => (typeof v !== "string" ? v : to === "upper" ? v.toUpperCase() : v.toLowerCase()),
});
