/**
 * 金蝶云星空 K3Cloud WebAPI connector definition: `{base}/Kingdee.BOS.WebApi.ServicesStub.
 * DynamicFormService.<Op>.common.kdsvc`, named body encoding (`{"formid", "data"}` as the official
 * Python SDK sends), ExecuteBillQuery paged by StartRow/Limit, writes through Save / BatchSave.
 *
 * Why this exists: Kingdee reports everything in a `ResponseStatus` (ExecuteBillQuery wraps it in two
 * arrays). Session loss (MsgCode 1) means log in again; call limit (14) means slow down; unknown form,
 * permissions, licence, parameter errors are configuration. For writes the other codes are left to the
 * writer (IGNORE) which maps `Errors[]`/`SuccessEntitys[]` to rows by `DIndex`.
 */
import { ConnectorDefinition, type ErrorHandler, type ResponseFilter } from "../../schema";

export const KINGDEE_SERVICE = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService";
export const kingdeePath = (op: string): string => `${KINGDEE_SERVICE}.${op}.common.kdsvc`;

const STATUS_PATHS = ["Result.ResponseStatus", "0.0.Result.ResponseStatus"];

function onMsgCode(codes: number[], rest: Omit<Extract<ResponseFilter, { type: "BodyField" }>, "type" | "conditions">): ResponseFilter[] {
  return STATUS_PATHS.map((p) => ({ type: "BodyField" as const, conditions: [{ path: `${p}.MsgCode`, equals: codes }], ...rest }));
}

const common: ResponseFilter[] = [
  {
    type: "BodyText",
    matches: "Fail to verify thirty passport",
    action: "FAIL",
    failureType: "config",
    message: "金蝶云星空拒绝了数据中心 ID：请检查连接的 acctId（数据中心 ID）",
  },
  {
    type: "HttpStatus",
    statuses: [404],
    ranges: [],
    action: "FAIL",
    failureType: "config",
    message: "金蝶云星空服务地址错误（HTTP 404）：请确认服务器地址形如 http://主机/k3cloud/",
  },
  { type: "HttpStatus", statuses: [429], ranges: [], action: "RATE_LIMITED", failureType: "transient", backoff: { type: "WaitFromHeader", header: "Retry-After", maxMs: 60_000, fallback: { type: "Exponential", baseMs: 1000, factor: 2, maxMs: 30_000, jitter: "equal" } } },
  { type: "HttpStatus", statuses: [], ranges: [{ from: 500, to: 599 }], action: "RETRY", failureType: "transient" },
  { type: "BodyText", matches: "^\\s*response_error:", action: "RETRY", failureType: "transient", message: "金蝶云星空服务端异常" },
  ...onMsgCode([1], { action: "REFRESH_TOKEN_THEN_RETRY", failureType: "config", message: "金蝶云星空会话信息已丢失，重新登录后仍失败：请检查用户名、密码 / 应用 ID、应用密钥与数据中心" }),
  ...onMsgCode([14], { action: "RATE_LIMITED", failureType: "transient", backoff: { type: "Exponential", baseMs: 1000, factor: 2, maxMs: 30_000, jitter: "equal" } }),
  ...onMsgCode([2], { action: "FAIL", failureType: "config", message: "金蝶云星空提示没有权限：请为集成用户授予该业务对象的相应权限" }),
  ...onMsgCode([7], { action: "FAIL", failureType: "config", message: "金蝶云星空许可错误：请联系管理员检查许可" }),
  ...onMsgCode([15], { action: "FAIL", failureType: "config", message: "金蝶云星空禁止管理员通过 WebAPI 登录：请使用普通集成用户" }),
  ...onMsgCode([5], { action: "FAIL", failureType: "config", message: "金蝶云星空表单 ID 为空：请在节点中填写 formId" }),
  ...STATUS_PATHS.map(
    (p): ResponseFilter => ({
      type: "BodyField",
      conditions: [{ path: `${p}.MsgCode`, equals: [4] }, { path: `${p}.Errors.0.Message`, matches: "业务对象不存在|不存在，或者被删除" }],
      action: "FAIL",
      failureType: "config",
      message: "金蝶云星空业务对象（表单 ID）不存在：请检查 formId",
    }),
  ),
];

/** Queries: every unsuccessful status is a failure (field keys, filters are configuration). */
const queryHandler: ErrorHandler = {
  type: "DefaultErrorHandler",
  vendorName: "金蝶云星空",
  vendorCodePaths: STATUS_PATHS.map((p) => `${p}.MsgCode`),
  vendorMessagePaths: STATUS_PATHS.flatMap((p) => [`${p}.Errors.0.Message`, `${p}.Errors`]),
  backoff: { type: "Exponential", baseMs: 500, factor: 2, maxMs: 30_000, jitter: "equal" },
  maxAttempts: 5,
  maxTotalWaitMs: 120_000,
  deadlineMs: 180_000,
  unreadable: { action: "RETRY", failureType: "transient" },
  filters: [
    ...common,
    ...STATUS_PATHS.map(
      (p): ResponseFilter => ({
        type: "BodyField",
        conditions: [{ path: `${p}.IsSuccess`, equals: [false] }],
        action: "FAIL",
        failureType: "config",
        message: "金蝶云星空查询失败：请检查 formId、字段（FieldKeys）与过滤条件",
      }),
    ),
  ],
};

/** Writes: leave business failures to the writer, which maps them to rows. */
const writeHandler: ErrorHandler = {
  ...queryHandler,
  filters: [...common, ...STATUS_PATHS.map((p): ResponseFilter => ({ type: "BodyField", conditions: [{ path: `${p}.IsSuccess`, equals: [false] }], action: "IGNORE", failureType: "data" }))],
};

const saveData = {
  NeedUpDateFields: "{{options.NeedUpDateFields}}",
  NeedReturnFields: "{{options.NeedReturnFields}}",
  IsDeleteEntry: "{{options.IsDeleteEntry}}",
  IsVerifyBaseDataField: "{{options.IsVerifyBaseDataField}}",
  IsEntryBatchFill: "{{options.IsEntryBatchFill}}",
  ValidateFlag: "{{options.ValidateFlag}}",
  NumberSearch: "{{options.NumberSearch}}",
  IsAutoSubmitAndAudit: "{{options.IsAutoSubmitAndAudit}}",
  InterationFlags: "{{options.InterationFlags}}",
  IgnoreInterationFlag: "{{options.IgnoreInterationFlag}}",
  IsControlPrecision: "{{options.IsControlPrecision}}",
  ValidateRepeatJson: "{{options.ValidateRepeatJson}}",
};

export const kingdeeDefinition: ConnectorDefinition = ConnectorDefinition.parse({
  vendor: "kingdee",
  label: { zh: "金蝶云星空", en: "Kingdee K3Cloud" },
  authenticator: { type: "KingdeeSession", mode: "ValidateUser", lcid: 2052 },
  testApi: "ExecuteBillQuery",
  errorHandler: queryHandler,
  apis: [
    {
      kind: "source",
      id: "ExecuteBillQuery",
      label: { zh: "单据查询（ExecuteBillQuery）", en: "Bill query (ExecuteBillQuery)" },
      requester: {
        type: "HttpRequester",
        method: "POST",
        path: kingdeePath("ExecuteBillQuery"),
        body: {
          data: {
            FormId: "{{options.formId}}",
            FieldKeys: "{{options.fieldKeys}}",
            FilterString: "{{options.filterString}}",
            OrderString: "{{options.orderString}}",
            TopRowCount: "{{options.topRowCount}}",
            "...": "{{params}}",
            StartRow: "{{PAGINATION_START_ROW}}",
            Limit: "{{PAGINATION_PAGE_SIZE}}",
            SubSystemId: "",
          },
        },
      },
      paginator: { type: "OffsetIncrement", pageSize: 2000, startFrom: 0 },
      // the answer is the row array itself (sheet §3: `[[…], …]`, `[]` when nothing matches); anything else is unreadable
      recordSelector: { type: "RowArray", path: "", columns: "{{options.fieldKeys}}", missingMeans: "error" },
      maxPageSize: 10_000,
    },
    {
      kind: "target",
      id: "BatchSave",
      label: { zh: "批量保存（BatchSave）", en: "Batch save (BatchSave)" },
      requester: {
        type: "HttpRequester",
        method: "POST",
        path: kingdeePath("BatchSave"),
        body: { formid: "{{options.formId}}", data: { ...saveData, BatchCount: "{{options.BatchCount}}", Model: "{{MODEL}}" } },
      },
      outcome: { type: "KingdeeSaveResult", batch: true },
      maxBatchSize: 200,
      errorHandler: writeHandler,
    },
    {
      kind: "target",
      id: "Save",
      label: { zh: "保存（Save）", en: "Save" },
      requester: { type: "HttpRequester", method: "POST", path: kingdeePath("Save"), body: { formid: "{{options.formId}}", data: { ...saveData, Model: "{{MODEL}}" } } },
      outcome: { type: "KingdeeSaveResult", batch: false },
      maxBatchSize: 1,
      errorHandler: writeHandler,
    },
    ...(["Submit", "Audit", "UnAudit", "Delete"] as const).map((op) => ({
      kind: "operation" as const,
      id: op,
      label: { zh: { Submit: "提交", Audit: "审核", UnAudit: "反审核", Delete: "删除" }[op], en: op },
      requester: {
        type: "HttpRequester" as const,
        method: "POST" as const,
        path: kingdeePath(op),
        body: { formid: "{{options.formId}}", data: { CreateOrgId: 0, Numbers: "{{NUMBERS}}", Ids: "{{IDS}}", NetworkCtrl: false, InterationFlags: "" } },
      },
      errorHandler: writeHandler,
    })),
    {
      kind: "operation",
      id: "View",
      label: { zh: "查看（View）", en: "View" },
      requester: { type: "HttpRequester", method: "POST", path: kingdeePath("View"), body: { formid: "{{options.formId}}", data: { CreateOrgId: 0, Number: "{{NUMBER}}", Id: "{{ID}}", IsSortBySeq: false } } },
      errorHandler: writeHandler,
    },
  ],
});
