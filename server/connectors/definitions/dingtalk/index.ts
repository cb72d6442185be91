/**
 * 钉钉 approvals (oapi) connector definition: `topapi/processinstance/listids` pages instance ids with
 * a cursor, and `topapi/processinstance/get` fetches each instance — the detail call is part of the
 * source, with its own 20 req/s budget and concurrency.
 *
 * Why this exists: DingTalk errors are HTTP 200 with a non-zero integer `errcode`; which ones mean
 * "refresh the token" (40014, 42001), "slow down" (90018/90019 per app, 90002 global, -1 busy) or
 * "ask an administrator" (88/60011 permission, 90020 monthly quota) is data here.
 */
import { ConnectorDefinition, type ErrorHandler } from "../../schema";

/** Enterprise internal apps, standard edition: 20 requests/s per app per API. */
export const DINGTALK_QPS = 20;

const errorHandler: ErrorHandler = {
  type: "DefaultErrorHandler",
  vendorName: "钉钉",
  vendorCodePaths: ["errcode", "sub_code", "status"],
  vendorMessagePaths: ["sub_msg", "errmsg"],
  backoff: { type: "Exponential", baseMs: 500, factor: 2, maxMs: 30_000, jitter: "equal" },
  maxAttempts: 5,
  maxTotalWaitMs: 120_000,
  deadlineMs: 180_000,
  unreadable: { action: "RETRY", failureType: "transient" },
  filters: [
    { type: "HttpStatus", statuses: [429], ranges: [], action: "RATE_LIMITED", failureType: "transient", backoff: { type: "WaitFromHeader", header: "Retry-After", maxMs: 60_000, fallback: { type: "Constant", ms: 1000 } } },
    { type: "HttpStatus", statuses: [], ranges: [{ from: 500, to: 599 }], action: "RETRY", failureType: "transient" },
    {
      type: "BodyField",
      conditions: [{ path: "errcode", equals: [40014, 42001] }],
      action: "REFRESH_TOKEN_THEN_RETRY",
      failureType: "config",
      message: "钉钉 access_token 无效或已过期，刷新后仍被拒绝：请检查 AppKey / AppSecret",
    },
    { type: "BodyField", conditions: [{ path: "errcode", equals: [90018, 90019] }], action: "RATE_LIMITED", failureType: "transient", backoff: { type: "Constant", ms: 1000 } },
    { type: "BodyField", conditions: [{ path: "errcode", equals: [90002] }], action: "RATE_LIMITED", failureType: "transient", backoff: { type: "Exponential", baseMs: 1000, factor: 2, maxMs: 30_000, jitter: "equal" } },
    { type: "BodyField", conditions: [{ path: "errcode", equals: [-1] }], action: "RETRY", failureType: "transient" },
    {
      type: "BodyField",
      conditions: [{ path: "errcode", equals: [90020] }],
      action: "FAIL",
      failureType: "config",
      message: "钉钉企业本月 API 调用量已超过限制：请升级版本或下月再运行",
    },
    {
      type: "BodyField",
      conditions: [{ path: "errcode", equals: [88] }],
      action: "FAIL",
      failureType: "config",
      message: "钉钉拒绝访问：请在开发者后台为该应用开通审批接口权限",
    },
    {
      type: "BodyField",
      conditions: [{ path: "errcode", equals: [40035] }],
      action: "FAIL",
      failureType: "config",
      message: "钉钉请求参数错误：请检查审批模板编码 process_code 与时间范围（start_time / end_time，跨度不超过 120 天）",
    },
    {
      type: "BodyField",
      conditions: [{ path: "punish", equals: ["deny"] }],
      action: "FAIL",
      failureType: "transient",
      message: "钉钉因调用过于频繁暂时封禁了本机 IP（约 5 分钟）：请稍后重跑",
    },
    {
      type: "BodyField",
      conditions: [{ path: "errcode", exists: true }, { path: "errcode", notEquals: [0] }],
      action: "FAIL",
      failureType: "data",
      message: "钉钉返回错误",
    },
  ],
};

export const dingtalkDefinition: ConnectorDefinition = ConnectorDefinition.parse({
  vendor: "dingtalk",
  label: { zh: "钉钉审批", en: "DingTalk approvals" },
  authenticator: { type: "DingTalkToken" },
  testApi: "processinstance",
  errorHandler,
  rateLimit: { perSecond: DINGTALK_QPS, burst: 1, safetyFactor: 0.95 },
  apis: [
    {
      kind: "source",
      id: "processinstance",
      label: { zh: "审批实例（列表 + 详情）", en: "Approval instances (ids + details)" },
      requester: {
        type: "HttpRequester",
        method: "POST",
        path: "topapi/processinstance/listids",
        body: {
          process_code: "{{options.processCode}}",
          start_time: "{{options.startTime}}",
          end_time: "{{options.endTime}}",
          userid_list: "{{options.useridList}}",
          "...": "{{params}}",
          size: "{{PAGINATION_PAGE_SIZE}}",
          cursor: "{{PAGINATION_CURSOR}}",
        },
        dropEmpty: true,
      },
      paginator: { type: "CursorPagination", pageSize: 20, cursorPath: "result.next_cursor", initialCursor: 0 },
      // CHOICE: the sheet (§3) shows `result.list` on every successful answer and says only `next_cursor`
      // is absent on the last page; an answer without `result.list` is unreadable (retried, then failed),
      // never an empty page. The simulator always sends `list` (empty array when nothing matches).
      recordSelector: { type: "FieldPath", path: "result.list", wrapAs: "process_instance_id", missingMeans: "error" },
      detail: {
        type: "DetailFetch",
        asset: "dingtalk.processinstance.get",
        requester: { type: "HttpRequester", method: "POST", path: "topapi/processinstance/get", body: { process_instance_id: "{{DETAIL_ID}}" } },
        recordPath: "process_instance",
        // an instance that vanished between listids and get is a data problem of that record only
        errorHandler: {
          ...errorHandler,
          filters: [
            { type: "BodyField", conditions: [{ path: "errcode", equals: [40035] }], action: "FAIL", failureType: "data", message: "钉钉审批实例不存在或已删除" },
            ...errorHandler.filters,
          ],
        },
        idField: "process_instance_id",
        attachIdAs: "process_instance_id",
        concurrency: 4,
        rateLimit: { perSecond: DINGTALK_QPS, burst: 1, safetyFactor: 0.95 },
      },
      maxPageSize: 20,
      idField: "process_instance_id",
      numberField: "business_id",
    },
  ],
});
