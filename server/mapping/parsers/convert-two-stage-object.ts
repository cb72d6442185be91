/**
 * ConvertTwoStageObjectParser — two-level wrap: `v` → `{params1: {params2: v}}`.
 *
 * Why this exists: some Kingdee references nest twice (e.g. `{"FMaterialId":{"FNumber":"M001"}}`
 * inside an entry field written as one value).
 */
import { z } from "zod";
import { defineParser } from "./types";

export const ConvertTwoStageObjectParams = z.object({
  params1: z.string().min(1, "params1 不能为空"),
  params2: z.string().min(1, "params2 不能为空"),
});
export type ConvertTwoStageObjectParams = z.infer<typeof ConvertTwoStageObjectParams>;

export const convertTwoStageObjectParser = defineParser<ConvertTwoStageObjectParams>({
  name: "ConvertTwoStageObjectParser",
  label: { zh: "转为两级对象", en: "Wrap in two-level object" },
  description: 'v → {params1: {params2: v}}',
  params: [
    { name: "params1", label: { zh: "外层键", en: "Outer key" }, required: true },
    { name: "params2", label: { zh: "内层键", en: "Inner key" }, required: true },
  ],
  paramsSchema: ConvertTwoStageObjectParams,
  create: ({ params1, params2 }) => (v) => ({ [params1]: { [params2]: v } }),
});
