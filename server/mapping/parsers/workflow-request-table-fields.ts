/**
 * workflowRequestTableFields — Weaver E9 (泛微) workflow field object
 * `{fieldName, fieldValue, view, edit, fieldId}`.
 *
 * Why this exists: listed among Qeasy's built-in parsers; imported schemes writing to 泛微 OA use it.
 * CHOICE: `fieldName` is the target field's own name (last path segment) unless given as a param.
 */
import { z } from "zod";
import { defineParser } from "./types";

export const WorkflowRequestTableFieldsParams = z.object({
  fieldId: z.union([z.string(), z.number()]).optional(),
  fieldName: z.string().optional(),
  view: z.boolean().default(true),
  edit: z.boolean().default(true),
});
export type WorkflowRequestTableFieldsParams = z.infer<typeof WorkflowRequestTableFieldsParams>;

export const workflowRequestTableFieldsParser = defineParser<WorkflowRequestTableFieldsParams>({
  name: "workflowRequestTableFields",
  label: { zh: "泛微流程字段", en: "Weaver workflow field" },
  description: "v → {fieldName, fieldValue: v, view, edit, fieldId}",
  params: [
    { name: "fieldId", label: { zh: "字段ID", en: "Field id" } },
    { name: "fieldName", label: { zh: "字段名", en: "Field name" }, description: "默认为目标字段名" },
    { name: "view", label: { zh: "可见", en: "View" } },
    { name: "edit", label: { zh: "可编辑", en: "Edit" } },
  ],
  paramsSchema: WorkflowRequestTableFieldsParams,
  create: (p) => (v, rt) => ({
    fieldName: p.fieldName ?? rt.field.replace(/^.*[.\]]/, ""),
    fieldValue: v,
    view: p.view,
    edit: p.edit,
    ...(p.fieldId !== undefined ? { fieldId: p.fieldId } : {}),
  }),
});
