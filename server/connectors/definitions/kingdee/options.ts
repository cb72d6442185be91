/**
 * Node options of the Kingdee source (ExecuteBillQuery) and targets (BatchSave / Save).
 *
 * Why this exists: Kingdee's save flags are many and easy to misspell (`NeedUpDateFields`); naming them
 * once here gives the designer a form and the compiler a path to the bad field.
 */
import { z } from "zod";
import { CommaList, commonSourceOptions, commonTargetOptions } from "../options-common";

export const KingdeeQueryOptions = z.object({
  formId: z.string().min(1, "请填写表单 ID（如 BD_Customer）"),
  fieldKeys: CommaList.refine((s) => s.length > 0, "请至少选择一个字段（FieldKeys）"),
  filterString: z.string().default(""),
  /** give a stable order (e.g. "FID ASC") so offset paging never skips or repeats rows */
  orderString: z.string().optional(),
  topRowCount: z.number().int().min(0).optional(),
  pageSize: z.number().int().min(1).max(10_000).default(2000),
  ...commonSourceOptions,
});
export type KingdeeQueryOptions = z.infer<typeof KingdeeQueryOptions>;

export const KingdeeWriteOptions = z.object({
  formId: z.string().min(1, "请填写表单 ID（如 BD_Customer）"),
  /** document field holding the business key (FNumber for base data, FBillNo for bills) */
  businessKeyField: z.string().optional(),
  /** internal id field for updates (FCUSTID, FID …) */
  idField: z.string().optional(),
  /** documents per BatchSave call (Save always sends one) */
  batchSize: z.number().int().min(1).max(1000).optional(),
  IsAutoSubmitAndAudit: z.boolean().optional(),
  IsVerifyBaseDataField: z.boolean().optional(),
  IsDeleteEntry: z.boolean().optional(),
  IsEntryBatchFill: z.boolean().optional(),
  ValidateFlag: z.boolean().optional(),
  NumberSearch: z.boolean().optional(),
  NeedUpDateFields: z.array(z.string()).optional(),
  NeedReturnFields: z.array(z.string()).optional(),
  InterationFlags: z.string().optional(),
  IgnoreInterationFlag: z.boolean().optional(),
  IsControlPrecision: z.boolean().optional(),
  ValidateRepeatJson: z.boolean().optional(),
  BatchCount: z.number().int().min(1).max(16).optional(),
  ...commonTargetOptions,
});
export type KingdeeWriteOptions = z.infer<typeof KingdeeWriteOptions>;

const BILL_PREFIXES = ["SAL_", "PUR_", "STK_", "AR_", "AP_", "ER_", "CN_", "PRD_", "GL_"];
const ID_FIELDS: Record<string, string> = {
  BD_Customer: "FCUSTID",
  BD_Supplier: "FSUPPLIERID",
  BD_MATERIAL: "FMATERIALID",
  BD_Department: "FDEPTID",
  BD_Empinfo: "FID",
  BD_Account: "FACCTID",
};

/** Business key and internal id fields of a form, unless the node says otherwise. */
export function kingdeeKeyFields(formId: string): { businessKeyField: string; idField: string } {
  const isBill = BILL_PREFIXES.some((p) => formId.toUpperCase().startsWith(p));
  return { businessKeyField: isBill ? "FBillNo" : "FNumber", idField: ID_FIELDS[formId] ?? "FID" };
}
