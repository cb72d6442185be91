/**
 * What the designer offers in its pickers: source/target APIs (from the connector catalogue), value
 * parsers (from the mapping layer), context variables, and a small field catalogue per Kingdee form.
 *
 * Why this exists: the inspectors must offer exactly what the server understands — an API id the
 * connector layer knows, a parser the mapper can resolve, a target field the form really has — so a
 * business analyst picks from lists instead of typing identifiers from memory. Everything here is read
 * only and serialisable (no zod schemas cross the wire).
 *
 * The form catalogue is a designer aid, not validation: it follows the Kingdee fact sheet and the
 * fields the sandbox simulator (server/testing/simulators/kingdee/forms.ts) implements; unknown forms
 * and fields stay allowed (a tenant may have custom fields).
 */
import { z } from "zod";
import { listApis, vendorDefinitions } from "@/server/connectors";
import { CONTEXT_VARIABLES } from "@/server/flows/compile";
import { listParsers } from "@/server/mapping";
import { createTRPCRouter, viewerProcedure } from "../trpc";

type L = { zh: string; en: string };

export interface FormField {
  key: string;
  label: L;
  type: "string" | "number" | "boolean" | "date" | "ref";
  required?: boolean;
  /** base-data reference: mapped through ConvertObjectParser with this lookup key */
  refKey?: string;
  hint?: L;
}

export interface FormInfo {
  formId: string;
  label: L;
  kind: "base" | "bill";
  businessKeyField: "FNumber" | "FBillNo";
  fields: FormField[];
  entry?: { key: string; label: L; fields: FormField[]; required?: boolean };
}

const f = (key: string, zh: string, en: string, type: FormField["type"], extra: Partial<FormField> = {}): FormField => ({
  key,
  label: { zh, en },
  type,
  ...(type === "ref" ? { refKey: "FNumber" } : {}),
  ...extra,
});

const baseCommon = (org = "FCreateOrgId"): FormField[] => [
  f("FNumber", "编码", "Number", "string", { required: true }),
  f("FName", "名称", "Name", "string", { required: true }),
  f(org, "创建组织", "Creating org", "ref", { required: true, hint: { zh: "组织编码，如 100", en: "Org number, e.g. 100" } }),
  f("FUseOrgId", "使用组织", "Using org", "ref"),
];

export const KINGDEE_FORMS: FormInfo[] = [
  {
    formId: "BD_Customer",
    label: { zh: "客户", en: "Customer" },
    kind: "base",
    businessKeyField: "FNumber",
    fields: [
      ...baseCommon(),
      f("FShortName", "简称", "Short name", "string"),
      f("FDescription", "描述", "Description", "string"),
      f("FCustTypeId", "客户类别", "Customer type", "ref"),
      f("FGroup", "客户分组", "Customer group", "ref"),
      f("FTEL", "联系电话", "Phone", "string"),
      f("FADDRESS", "通讯地址", "Address", "string"),
      f("FTaxRegisterCode", "纳税登记号", "Tax number", "string"),
      f("FINVOICETITLE", "发票抬头", "Invoice title", "string"),
      f("FCOUNTRY", "国家", "Country", "ref"),
      f("FSALDEPTID", "销售部门", "Sales department", "ref"),
      f("FSELLER", "销售员", "Salesperson", "ref"),
      f("FTRADINGCURRID", "结算币别", "Settlement currency", "ref"),
      f("FSETTLETYPEID", "结算方式", "Settlement method", "ref"),
      f("FCreditAmount", "信用额度", "Credit limit", "number"),
      f("FIsGroup", "集团客户", "Group customer", "boolean"),
    ],
  },
  {
    formId: "BD_Supplier",
    label: { zh: "供应商", en: "Supplier" },
    kind: "base",
    businessKeyField: "FNumber",
    fields: [
      ...baseCommon(),
      f("FShortName", "简称", "Short name", "string"),
      f("FDescription", "描述", "Description", "string"),
      f("FGroup", "供应商分组", "Supplier group", "ref"),
      f("FSupplierClassify", "供应类别", "Supply category", "ref"),
      f("FAddress", "通讯地址", "Address", "string"),
      f("FTaxRegisterCode", "纳税登记号", "Tax number", "string"),
      f("FPayCurrencyId", "结算币别", "Payment currency", "ref"),
    ],
  },
  {
    formId: "BD_Department",
    label: { zh: "部门", en: "Department" },
    kind: "base",
    businessKeyField: "FNumber",
    fields: [
      ...baseCommon(),
      f("FFullName", "部门全称", "Full name", "string"),
      f("FDescription", "描述", "Description", "string"),
      f("FGroup", "部门分组", "Department group", "ref"),
      f("FParentID", "上级部门", "Parent department", "ref"),
      f("FDeptProperty", "部门属性", "Department property", "ref"),
      f("FEffectDate", "生效日期", "Effective date", "date"),
      f("FLapseDate", "失效日期", "Lapse date", "date"),
    ],
  },
  {
    formId: "BD_Empinfo",
    label: { zh: "员工", en: "Employee" },
    kind: "base",
    businessKeyField: "FNumber",
    fields: [
      ...baseCommon(),
      f("FStaffNumber", "员工编号", "Staff number", "string"),
      f("FDeptId", "所属部门", "Department", "ref"),
      f("FMobile", "移动电话", "Mobile", "string"),
      f("FEmail", "电子邮箱", "Email", "string"),
      f("FDescription", "描述", "Description", "string"),
    ],
  },
  {
    formId: "ER_ExpenseRequest",
    label: { zh: "费用申请单（备用金/借款）", en: "Expense request (petty cash / loan)" },
    kind: "bill",
    businessKeyField: "FBillNo",
    fields: [
      f("FBillNo", "单据编号", "Bill number", "string", { hint: { zh: "留空由金蝶自动编号", en: "Empty: numbered by Kingdee" } }),
      f("FDate", "申请日期", "Date", "date"),
      f("FBillTypeID", "单据类型", "Bill type", "ref", { refKey: "FNUMBER", hint: { zh: "默认 FYSQ001_SYS", en: "Default FYSQ001_SYS" } }),
      f("FOrgID", "申请组织", "Requesting org", "ref", { required: true }),
      f("FStaffID", "申请人", "Applicant", "ref", { required: true, refKey: "FStaffNumber" }),
      f("FDeptID", "申请部门", "Department", "ref", { required: true }),
      f("FCurrencyID", "币别", "Currency", "ref"),
      f("FIsBorrow", "借款", "Is loan", "boolean", { hint: { zh: "备用金/借款填 true", en: "true for petty cash / loans" } }),
      f("FCausa", "事由", "Reason", "string"),
      f("FExpenseOrgId", "费用承担组织", "Expense org", "ref"),
      f("FRemark", "备注", "Remark", "string"),
    ],
    entry: {
      key: "FEntity",
      label: { zh: "明细", en: "Lines" },
      required: true,
      fields: [
        f("FExpenseItemID", "费用项目", "Expense item", "ref"),
        f("FOrgAmount", "申请金额", "Amount", "number", { required: true }),
        f("FRemark", "备注", "Remark", "string"),
      ],
    },
  },
];

/** How an API pages (from its connector definition): page numbers, row offsets, cursors or none. */
function pagingOf(apiId: string): "PageIncrement" | "OffsetIncrement" | "CursorPagination" | "NoPagination" | "Definition" {
  const dot = apiId.indexOf(".");
  const def = vendorDefinitions[apiId.slice(0, dot)];
  const api = def?.apis.find((x) => x.id === apiId.slice(dot + 1));
  if (!api) return "Definition"; // generic HTTP: the paginator is part of the node's own description
  return api.kind === "source" ? api.paginator.type : "NoPagination";
}

export const catalogueRouter = createTRPCRouter({
  /** Source and target APIs of every connector (id, vendor, kind, labels, page-size cap, defaults). */
  apis: viewerProcedure.query(() =>
    listApis().map((a) => ({
      id: a.id,
      vendor: a.vendor,
      kind: a.kind,
      label: a.label,
      maxPageSize: a.maxPageSize ?? null,
      idField: a.idField ?? null,
      numberField: a.numberField ?? null,
      defaultOptions: a.defaultOptions,
      optionDescriptions: a.optionDescriptions,
      paging: pagingOf(a.id),
    })),
  ),

  /** Built-in value parsers with their parameter descriptions (for the mapper's parser picker). */
  parsers: viewerProcedure.query(() =>
    listParsers().map((p) => {
      const schema = (p.paramsJsonSchema ?? {}) as { properties?: Record<string, { type?: string | string[] }> };
      return {
        name: p.name,
        label: p.label,
        description: p.description,
        params: p.params.map((x) => {
          const t = schema.properties?.[x.name]?.type;
          const type = Array.isArray(t) ? t[0] : t;
          return { ...x, type: (type === "object" || type === "array" ? "json" : type === "number" || type === "integer" ? "number" : type === "boolean" ? "boolean" : "string") as "json" | "number" | "boolean" | "string" };
        }),
      };
    }),
  ),

  /** Variables a template may name besides record fields ({{LAST_SYNC_TIME|datetime}} …). */
  variables: viewerProcedure.query(() => [...CONTEXT_VARIABLES]),

  /** Target forms with their fields (required markers, base-data references, entry tables). */
  forms: viewerProcedure.input(z.object({ vendor: z.literal("kingdee").default("kingdee") }).optional()).query(() => KINGDEE_FORMS),
});
