/**
 * ConvertObjectParser — wraps a scalar into `{key: value}`.
 *
 * Why this exists: Kingdee base-data references are objects keyed by the lookup field:
 * `"100"` → `{"FNumber":"100"}` (FCreateOrgId, FUseOrgId, FCustTypeId…). Key case is kept as given.
 */
import { z } from "zod";
import { defineParser } from "./types";

export const ConvertObjectParams = z.object({ key: z.string().min(1, "key 不能为空") });
export type ConvertObjectParams = z.infer<typeof ConvertObjectParams>;

export const convertObjectParser = defineParser<ConvertObjectParams>({
  name: "ConvertObjectParser",
  label: { zh: "转为对象", en: "Wrap in object" },
  description: '"100" → {"FNumber":"100"}（金蝶基础资料引用）',
  params: [{ name: "key", label: { zh: "键名", en: "Key" }, description: "如 FNumber / FNUMBER / FUserID", required: true }],
  paramsSchema: ConvertObjectParams,
  positional: "key",
  create: ({ key }) => (v) => ({ [key]: v }),
});
