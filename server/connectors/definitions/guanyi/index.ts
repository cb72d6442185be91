/**
 * 管易云 C-ERP (`gy.erp.*`) connector definition: one gateway POST `/rest/erp_open`, the operation in
 * the body's `method`, MD5-signed body, `page_no`/`page_size` paging with a record `total`.
 *
 * Why this exists: the four read APIs differ only in method name and list key, so they are data over
 * one requester template. Error codes follow the simulator's CHOICE (real codes unconfirmed): invalid
 * appkey/sessionkey/sign → configuration; api.limited / system.busy → throttled, retried with backoff.
 */
import { ConnectorDefinition, type SourceApi } from "../../schema";

const GUANYI_MAX_PAGE_SIZE = 100; // unconfirmed upstream; the simulator rejects > 100

function listApi(method: string, listKey: string, zh: string, en: string, numberField: string): SourceApi {
  return {
    kind: "source",
    id: method,
    label: { zh, en },
    requester: {
      type: "HttpRequester",
      method: "POST",
      path: "rest/erp_open",
      // appkey + sessionkey are put first and `sign` last by the GuanyiSign authenticator
      body: { method, "...": "{{params}}", page_no: "{{PAGINATION_START_PAGE}}", page_size: "{{PAGINATION_PAGE_SIZE}}" },
      bodyEncoding: "json",
      dropEmpty: true,
      timeoutMs: 30_000,
      followRedirects: false,
    },
    paginator: { type: "PageIncrement", pageSize: GUANYI_MAX_PAGE_SIZE, startFrom: 1, stopOnShortPage: true, totalPath: "total" },
    // CHOICE: the sheet (§4) only says the list key "may be absent" on failure (success:false, handled
    // by the error handler first); for a successful empty page it is silent. We read a success without
    // the key as an unreadable reply (retried, then failed), never as "no records"; the simulator always
    // sends the key (an empty array on empty pages).
    recordSelector: { type: "FieldPath", path: listKey, missingMeans: "error" },
    maxPageSize: GUANYI_MAX_PAGE_SIZE,
    idField: "id",
    numberField,
  };
}

export const guanyiDefinition: ConnectorDefinition = ConnectorDefinition.parse({
  vendor: "guanyi",
  label: { zh: "管易云 C-ERP", en: "Guanyi C-ERP" },
  authenticator: { type: "GuanyiSign" },
  testApi: "gy.erp.shop.get",
  errorHandler: {
    type: "DefaultErrorHandler",
    vendorName: "管易云",
    vendorCodePaths: ["errorCode", "subErrorCode"],
    vendorMessagePaths: ["errorDesc", "subErrorDesc"],
    filters: [
      { type: "HttpStatus", statuses: [429], action: "RATE_LIMITED", backoff: { type: "WaitFromHeader", fallback: { type: "Exponential", baseMs: 1000 } } },
      { type: "HttpStatus", ranges: [{ from: 500, to: 599 }], action: "RETRY" },
      {
        type: "BodyField",
        conditions: [{ path: "success", equals: [false] }, { path: "errorCode", matches: "sign|appkey|sessionkey|auth|permission|权限" }],
        action: "FAIL",
        failureType: "config",
        message: "管易云签名校验失败：请检查 appkey / secret / sessionkey 是否与 ERP 控制面板 → 应用授权中的一致",
      },
      {
        type: "BodyField",
        conditions: [{ path: "success", equals: [false] }, { path: "errorCode", matches: "limit|frequen|throttl" }],
        action: "RATE_LIMITED",
        backoff: { type: "Exponential", baseMs: 1000, factor: 2, maxMs: 10_000, jitter: "equal" },
      },
      {
        type: "BodyField",
        conditions: [{ path: "success", equals: [false] }, { path: "errorCode", matches: "busy|system" }],
        action: "RETRY",
      },
      {
        type: "BodyField",
        conditions: [{ path: "success", equals: [false] }, { path: "errorDesc", matches: "频率|限流|稍后" }],
        action: "RATE_LIMITED",
        backoff: { type: "Exponential", baseMs: 1000, factor: 2, maxMs: 10_000, jitter: "equal" },
      },
      {
        type: "BodyField",
        conditions: [{ path: "success", equals: [false] }, { path: "errorCode", matches: "method" }],
        action: "FAIL",
        failureType: "config",
        message: "管易云接口方法不存在：请检查接口名称与 ERP 版本",
      },
      {
        type: "BodyField",
        conditions: [{ path: "success", equals: [false] }, { path: "errorCode", matches: "param|body" }],
        action: "FAIL",
        failureType: "config",
        message: "管易云请求参数错误：请检查节点的查询条件（日期格式 yyyy-MM-dd HH:mm:ss、分页大小 ≤ 100）",
      },
      { type: "BodyField", conditions: [{ path: "success", notEquals: [true] }], action: "FAIL", failureType: "data", message: "管易云返回失败" },
    ],
  },
  // no default budget: Guanyi publishes no numbers; api.limited is handled by backoff, nodes may set one
  apis: [
    listApi("gy.erp.shop.get", "shops", "店铺查询", "Shops", "code"),
    listApi("gy.erp.vip.get", "vips", "会员查询", "Members (VIPs)", "code"),
    listApi("gy.erp.items.get", "items", "商品查询", "Items", "code"),
    listApi("gy.erp.trade.get", "orders", "订单查询", "Sales orders", "code"),
  ],
});
