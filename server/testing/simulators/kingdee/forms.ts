/**
 * Metadata of the K3Cloud forms the simulator implements: internal id field, business number
 * field, create-org field, typed fields, required fields, base-data references, entry table.
 *
 * Why this exists: Save/BatchSave validation (required fields, types, references) and
 * ExecuteBillQuery field resolution (unknown field → MsgCode 9) both need the same per-form
 * metadata that a real K3Cloud holds; keeping it as data makes adding a form a table edit.
 */

export type FieldType = "string" | "number" | "bool" | "date" | "ref";
/** what a reference resolves against; "other" references are stored but never verified */
export type RefKind = "org" | "dept" | "staff" | "other";

export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  ref?: RefKind;
  required?: boolean;
  /** default reference number or value when absent on create */
  dflt?: string | number | boolean;
}

export interface FormDef {
  formId: string;
  name: string;
  kind: "base" | "bill";
  /** internal id field (FCUSTID…), returned as Id */
  idField: string;
  /** business number field: FNumber for base data, FBillNo for bills */
  numberField: "FNumber" | "FBillNo";
  /** organisation the number is unique in */
  orgField: string;
  /** first internal id assigned */
  idBase: number;
  /** auto-number prefix (bills only; base data numbers are required) */
  autoPrefix?: string;
  fields: FieldDef[];
  entry?: { key: string; idField: string; label: string; fields: FieldDef[]; required: boolean };
}

const common = (orgKey: string): FieldDef[] => [
  { key: "FName", label: "名称", type: "string", required: true },
  { key: orgKey, label: "创建组织", type: "ref", ref: "org", required: true },
  { key: "FUseOrgId", label: "使用组织", type: "ref", ref: "org" },
];

// CHOICE: base data (BD_*) require FNumber (no coding rule); bills get FBillNo auto-assigned.
// Internal ids start per form at idBase (BD_Customer 100001, BD_Supplier 200001, BD_Department
// 300001, BD_Empinfo 400001, ER_ExpenseRequest 500001) and are never reused.
// CHOICE: field sets are a realistic subset of each form; unknown keys in a Save Model are
// ignored silently (as K3Cloud does), unknown keys in FieldKeys/FilterString → MsgCode 9.
export const FORMS: Record<string, FormDef> = {
  BD_Customer: {
    formId: "BD_Customer",
    name: "客户",
    kind: "base",
    idField: "FCUSTID",
    numberField: "FNumber",
    orgField: "FCreateOrgId",
    idBase: 100001,
    fields: [
      ...common("FCreateOrgId"),
      { key: "FShortName", label: "简称", type: "string" },
      { key: "FDescription", label: "描述", type: "string" },
      { key: "FCustTypeId", label: "客户类别", type: "ref", ref: "other" },
      { key: "FGroup", label: "客户分组", type: "ref", ref: "other" },
      { key: "FTEL", label: "联系电话", type: "string" },
      { key: "FADDRESS", label: "通讯地址", type: "string" },
      { key: "FTaxRegisterCode", label: "纳税登记号", type: "string" },
      { key: "FINVOICETITLE", label: "发票抬头", type: "string" },
      { key: "FCOUNTRY", label: "国家", type: "ref", ref: "other" },
      { key: "FSALDEPTID", label: "销售部门", type: "ref", ref: "dept" },
      { key: "FSELLER", label: "销售员", type: "ref", ref: "staff" },
      { key: "FTRADINGCURRID", label: "结算币别", type: "ref", ref: "other" },
      { key: "FSETTLETYPEID", label: "结算方式", type: "ref", ref: "other" },
      { key: "FCreditAmount", label: "信用额度", type: "number" },
      { key: "FIsGroup", label: "集团客户", type: "bool" },
    ],
  },
  BD_Supplier: {
    formId: "BD_Supplier",
    name: "供应商",
    kind: "base",
    idField: "FSupplierId",
    numberField: "FNumber",
    orgField: "FCreateOrgId",
    idBase: 200001,
    fields: [
      ...common("FCreateOrgId"),
      { key: "FShortName", label: "简称", type: "string" },
      { key: "FDescription", label: "描述", type: "string" },
      { key: "FGroup", label: "供应商分组", type: "ref", ref: "other" },
      { key: "FSupplierClassify", label: "供应类别", type: "ref", ref: "other" },
      { key: "FAddress", label: "通讯地址", type: "string" },
      { key: "FTaxRegisterCode", label: "纳税登记号", type: "string" },
      { key: "FPayCurrencyId", label: "结算币别", type: "ref", ref: "other" },
    ],
  },
  BD_Department: {
    formId: "BD_Department",
    name: "部门",
    kind: "base",
    idField: "FDEPTID",
    numberField: "FNumber",
    orgField: "FCreateOrgId",
    idBase: 300001,
    fields: [
      ...common("FCreateOrgId"),
      { key: "FFullName", label: "部门全称", type: "string" },
      { key: "FDescription", label: "描述", type: "string" },
      { key: "FGroup", label: "部门分组", type: "ref", ref: "other" },
      { key: "FParentID", label: "上级部门", type: "ref", ref: "dept" },
      { key: "FDeptProperty", label: "部门属性", type: "ref", ref: "other" },
      { key: "FEffectDate", label: "生效日期", type: "date" },
      { key: "FLapseDate", label: "失效日期", type: "date" },
    ],
  },
  BD_Empinfo: {
    formId: "BD_Empinfo",
    name: "员工",
    kind: "base",
    idField: "FID",
    numberField: "FNumber",
    orgField: "FCreateOrgId",
    idBase: 400001,
    fields: [
      ...common("FCreateOrgId"),
      { key: "FStaffNumber", label: "员工编号", type: "string" },
      { key: "FDeptId", label: "所属部门", type: "ref", ref: "dept" },
      { key: "FMobile", label: "移动电话", type: "string" },
      { key: "FEmail", label: "电子邮箱", type: "string" },
      { key: "FDescription", label: "描述", type: "string" },
    ],
  },
  // CHOICE: ER_ExpenseRequest (费用申请单) is the 备用金/借款 form (FIsBorrow = true for a
  // loan). Header: FBillNo (auto FYSQ000001… when absent), FDate (default today), FBillTypeID
  // (default FYSQ001_SYS), FOrgID (申请组织, create org, required), FStaffID (申请人 → BD_Empinfo
  // by FNumber/FStaffNumber, required), FDeptID (申请部门 → BD_Department, required),
  // FCurrencyID (default PRE001), FIsBorrow, FCausa (事由), FExpenseOrgId, FRemark.
  // Entry FEntity (≥ 1 row): FExpenseItemID, FOrgAmount (申请金额, required, ≥ 0), FRemark;
  // entry id FEntity_FEntryID. Header FReqAmountSum is computed = Σ FOrgAmount.
  ER_ExpenseRequest: {
    formId: "ER_ExpenseRequest",
    name: "费用申请单",
    kind: "bill",
    idField: "FID",
    numberField: "FBillNo",
    orgField: "FOrgID",
    idBase: 500001,
    autoPrefix: "FYSQ",
    fields: [
      { key: "FOrgID", label: "申请组织", type: "ref", ref: "org", required: true },
      { key: "FStaffID", label: "申请人", type: "ref", ref: "staff", required: true },
      { key: "FDeptID", label: "申请部门", type: "ref", ref: "dept", required: true },
      { key: "FDate", label: "申请日期", type: "date" },
      { key: "FBillTypeID", label: "单据类型", type: "ref", ref: "other", dflt: "FYSQ001_SYS" },
      { key: "FCurrencyID", label: "币别", type: "ref", ref: "other", dflt: "PRE001" },
      { key: "FIsBorrow", label: "借款", type: "bool", dflt: false },
      { key: "FCausa", label: "事由", type: "string" },
      { key: "FExpenseOrgId", label: "费用承担组织", type: "ref", ref: "org" },
      { key: "FRemark", label: "备注", type: "string" },
      { key: "FReqAmountSum", label: "申请金额合计", type: "number" },
    ],
    entry: {
      key: "FEntity",
      idField: "FEntryID",
      label: "明细",
      required: true,
      fields: [
        { key: "FExpenseItemID", label: "费用项目", type: "ref", ref: "other" },
        { key: "FOrgAmount", label: "申请金额", type: "number", required: true },
        { key: "FRemark", label: "备注", type: "string" },
      ],
    },
  },
};

const lowerForms = new Map(Object.keys(FORMS).map((k) => [k.toLowerCase(), FORMS[k]]));

/** Form ids are matched case-insensitively (CHOICE). */
export function formOf(formId: string): FormDef | undefined {
  return lowerForms.get(formId.toLowerCase());
}
