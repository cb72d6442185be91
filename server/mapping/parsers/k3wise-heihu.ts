/**
 * K3WiseHeiHuCustomParser — `v` → `[{"keyName": <param>, "keyValue": v}]`.
 *
 * Why this exists: listed among Qeasy's built-in parsers (K3 WISE via the HeiHu gateway); imported
 * Qeasy schemes that use it must keep working.
 */
import { z } from "zod";
import { defineParser } from "./types";

export const K3WiseHeiHuParams = z.object({ keyName: z.string().min(1, "keyName 不能为空") });
export type K3WiseHeiHuParams = z.infer<typeof K3WiseHeiHuParams>;

export const k3WiseHeiHuParser = defineParser<K3WiseHeiHuParams>({
  name: "K3WiseHeiHuCustomParser",
  label: { zh: "K3 WISE 键值对", en: "K3 WISE key/value" },
  description: 'v → [{"keyName":参数,"keyValue":v}]',
  params: [{ name: "keyName", label: { zh: "键名", en: "Key name" }, description: "源字段名", required: true }],
  paramsSchema: K3WiseHeiHuParams,
  positional: "keyName",
  create: ({ keyName }) => (v) => [{ keyName, keyValue: v }],
});
