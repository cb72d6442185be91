/**
 * The API catalogue: every API a node can use, its kind, labels, page-size cap, default options,
 * option descriptions, and the zod schema validating its node options.
 *
 * Why this exists: the designer lists APIs from here and the flow compiler validates node settings
 * with `apiOptionsSchemas[apiId]`, getting a path to the bad field.
 */
import { z } from "zod";
import type { Label } from "./schema";
import { DingTalkSourceOptions } from "./definitions/dingtalk/options";
import { GuanyiSourceOptions } from "./definitions/guanyi/options";
import { GenericHttpSourceOptions } from "./definitions/http/generic";
import { KingdeeQueryOptions, KingdeeWriteOptions } from "./definitions/kingdee/options";

export interface ApiCatalogueEntry {
  /** e.g. "guanyi.gy.erp.shop.get" — the apiId given to createSourceReader / createTargetWriter */
  id: string;
  vendor: "guanyi" | "dingtalk" | "kingdee" | "http";
  kind: "source" | "target";
  label: Label;
  maxPageSize?: number;
  /** record fields giving the ledger id / business number by default */
  idField?: string;
  numberField?: string;
  defaultOptions: Record<string, unknown>;
  optionDescriptions: Record<string, Label>;
}

const retryDesc: Record<string, Label> = {
  retry: { zh: "重试覆盖：maxAttempts 最大尝试次数、maxTotalWaitMs 最长总等待、backoff 退避", en: "Retry overrides: maxAttempts, maxTotalWaitMs, backoff" },
  rateLimit: { zh: "限流覆盖：perSecond / perMinute / perMonth / burst", en: "Rate-limit overrides: perSecond / perMinute / perMonth / burst" },
};
const paramsDesc: Record<string, Label> = {
  params: { zh: "固定请求参数（运行时参数如增量时间会覆盖同名项）", en: "Static request parameters (run params such as watermarks override them)" },
};

const guanyi = (method: string, zh: string, en: string, extra: Record<string, Label>): ApiCatalogueEntry => ({
  id: `guanyi.${method}`,
  vendor: "guanyi",
  kind: "source",
  label: { zh: `管易云 ${zh}（${method}）`, en: `Guanyi ${en} (${method})` },
  maxPageSize: 100,
  idField: "id",
  numberField: "code",
  defaultOptions: { pageSize: 100, params: {} },
  optionDescriptions: {
    pageSize: { zh: "每页条数（page_size，最大 100）", en: "Page size (page_size, max 100)" },
    ...paramsDesc,
    ...extra,
    ...retryDesc,
  },
});

const kingdeeWriteDesc: Record<string, Label> = {
  formId: { zh: "表单 ID（如 BD_Customer）", en: "Form id (e.g. BD_Customer)" },
  businessKeyField: { zh: "业务编码字段（基础资料 FNumber，单据 FBillNo）", en: "Business key field (FNumber / FBillNo)" },
  idField: { zh: "内码字段（更新时使用，如 FCUSTID、FID）", en: "Internal id field for updates (FCUSTID, FID…)" },
  batchSize: { zh: "每次 BatchSave 的单据数", en: "Documents per BatchSave call" },
  IsAutoSubmitAndAudit: { zh: "保存后自动提交并审核", en: "Submit and audit after save" },
  IsVerifyBaseDataField: { zh: "校验基础资料字段", en: "Verify base-data references" },
  IsDeleteEntry: { zh: "更新时删除未传入的分录", en: "Delete entry rows not sent when updating" },
  NeedUpDateFields: { zh: "需更新的字段（留空为全量保存）", en: "Fields to update (empty = full save)" },
  NeedReturnFields: { zh: "需返回的字段", en: "Fields to return" },
  ValidateRepeatJson: { zh: "拒绝重复提交的相同报文", en: "Reject an identical payload sent again" },
};

export const apiOptionsSchemas = {
  "guanyi.gy.erp.shop.get": GuanyiSourceOptions,
  "guanyi.gy.erp.vip.get": GuanyiSourceOptions,
  "guanyi.gy.erp.items.get": GuanyiSourceOptions,
  "guanyi.gy.erp.trade.get": GuanyiSourceOptions,
  "dingtalk.processinstance": DingTalkSourceOptions,
  "kingdee.ExecuteBillQuery": KingdeeQueryOptions,
  "kingdee.BatchSave": KingdeeWriteOptions,
  "kingdee.Save": KingdeeWriteOptions,
  "http.generic": GenericHttpSourceOptions,
} satisfies Record<string, z.ZodType>;
export type ApiId = keyof typeof apiOptionsSchemas;

export function getOptionsSchema(apiId: string): z.ZodType | undefined {
  return (apiOptionsSchemas as Record<string, z.ZodType>)[apiId];
}

export const catalogue: ApiCatalogueEntry[] = [
  guanyi("gy.erp.shop.get", "店铺查询", "shops", {}),
  guanyi("gy.erp.vip.get", "会员查询", "members", {}),
  guanyi("gy.erp.items.get", "商品查询", "items", {}),
  guanyi("gy.erp.trade.get", "订单查询", "sales orders", {}),
  {
    id: "dingtalk.processinstance",
    vendor: "dingtalk",
    kind: "source",
    label: { zh: "钉钉 审批实例（listids + get）", en: "DingTalk approval instances (listids + get)" },
    maxPageSize: 20,
    idField: "process_instance_id",
    numberField: "business_id",
    defaultOptions: { pageSize: 20, concurrency: 4, params: {} },
    optionDescriptions: {
      processCode: { zh: "审批模板编码 process_code（PROC-…）", en: "Approval template code (PROC-…)" },
      startTime: { zh: "开始时间（Unix 毫秒；通常由增量水位提供 params.start_time）", en: "Start time (Unix ms; usually params.start_time from the watermark)" },
      endTime: { zh: "结束时间（Unix 毫秒）", en: "End time (Unix ms)" },
      useridList: { zh: "发起人 userid 列表", en: "Originator user ids" },
      pageSize: { zh: "每页 id 数（最大 20）", en: "Ids per page (max 20)" },
      concurrency: { zh: "详情并发数", en: "Detail calls in flight" },
      detailRateLimit: { zh: "详情接口限流覆盖（默认 20 次/秒）", en: "Detail API rate-limit override (default 20/s)" },
      ...paramsDesc,
      ...retryDesc,
    },
  },
  {
    id: "kingdee.ExecuteBillQuery",
    vendor: "kingdee",
    kind: "source",
    label: { zh: "金蝶云星空 单据查询（ExecuteBillQuery）", en: "Kingdee bill query (ExecuteBillQuery)" },
    maxPageSize: 10_000,
    defaultOptions: { pageSize: 2000, filterString: "", params: {} },
    optionDescriptions: {
      formId: { zh: "表单 ID（如 BD_Customer）", en: "Form id (e.g. BD_Customer)" },
      fieldKeys: { zh: "字段（FieldKeys，逗号分隔或数组）", en: "Field keys (comma-separated or array)" },
      filterString: { zh: "过滤条件（FilterString）", en: "Filter (FilterString)" },
      orderString: { zh: "排序（建议按内码排序以保证分页稳定）", en: "Order (order by internal id for stable paging)" },
      topRowCount: { zh: "最多返回行数（0 不限）", en: "Max rows (0 = no cap)" },
      pageSize: { zh: "每页行数（Limit）", en: "Rows per page (Limit)" },
      ...paramsDesc,
      ...retryDesc,
    },
  },
  {
    id: "kingdee.BatchSave",
    vendor: "kingdee",
    kind: "target",
    label: { zh: "金蝶云星空 批量保存（BatchSave）", en: "Kingdee batch save (BatchSave)" },
    defaultOptions: { batchSize: 100 },
    optionDescriptions: { ...kingdeeWriteDesc, ...retryDesc },
  },
  {
    id: "kingdee.Save",
    vendor: "kingdee",
    kind: "target",
    label: { zh: "金蝶云星空 保存（Save）", en: "Kingdee save (Save)" },
    defaultOptions: {},
    optionDescriptions: { ...kingdeeWriteDesc, ...retryDesc },
  },
  {
    id: "http.generic",
    vendor: "http",
    kind: "source",
    label: { zh: "通用 HTTP JSON 接口", en: "Generic HTTP JSON API" },
    defaultOptions: { params: {} },
    optionDescriptions: {
      definition: { zh: "接口描述：requester、paginator、recordSelector、authenticator、errorHandler", en: "API description: requester, paginator, recordSelector, authenticator, errorHandler" },
      pageSize: { zh: "每页条数（覆盖描述中的值）", en: "Page size (overrides the description)" },
      ...paramsDesc,
      ...retryDesc,
    },
  },
];
