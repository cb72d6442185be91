/**
 * The declarative source reader: pages out of any SourceApi definition, one page at a time.
 *
 * Why this exists: the engine needs "pages with a resumable state", never the whole result set. The
 * loop is generic: build the request from the paging state, call, select records, ask the paginator
 * for the next state. One page is prefetched while the current one is processed (bounded buffer of
 * one) — or, with `pagesInFlight` > 1 and page-number / row-offset paging, that many pages are
 * requested ahead and yielded in order — and for list+detail sources (DingTalk) the detail calls of
 * the next page start while the current one finishes, so the detail API's rate budget stays full.
 */
import type { ConnectorDefinition, DetailFetch, ErrorHandler, RateLimit, RecordSelector, SourceApi } from "../schema";
import type { ConnectionConfig, PagingState, ReadOptions, SourcePage, SourceReader } from "../types";
import { ConnectorError } from "../errors";
import { executeCall, type CallEnv } from "./call";
import type { BodyExpectation } from "./error-handler";
import { quiet, Semaphore } from "./concurrency";
import { budgetKey, combineSignals, makeEnv, type ConnectorDeps } from "./env";
import { getPath } from "./json-path";
import { createPaginator } from "./pagination";
import { resolveString, type TemplateVars } from "./template";

export interface SourcePlan {
  conn: ConnectionConfig;
  def: ConnectorDefinition;
  api: SourceApi;
  /** api asset name for reports and budgets, e.g. "guanyi.gy.erp.shop.get" */
  asset: string;
  errorHandler: ErrorHandler;
  rateLimit?: RateLimit;
  detailErrorHandler?: ErrorHandler;
  detailRateLimit?: RateLimit;
  options: Record<string, unknown>;
  deps?: ConnectorDeps;
}

/** What a list answer must hold: the selector's array, unless the definition says the vendor omits it on empty pages. */
export function listExpectation(sel: RecordSelector): BodyExpectation | undefined {
  if (sel.missingMeans === "empty") return undefined;
  return { path: sel.path, shape: "array", label: sel.path ? `记录列表 ${sel.path}` : "记录列表（响应体应为数组）" };
}

export function selectRecords(sel: RecordSelector, body: unknown, vars: TemplateVars, asset: string): Record<string, unknown>[] {
  const raw = getPath(body, sel.path);
  if (raw === undefined || raw === null) {
    // only a definition that says so may read a missing list as "no records"
    if (sel.missingMeans === "empty") return [];
    throw new ConnectorError({ failureType: "data", apiAsset: asset, message: `响应缺少记录列表 ${sel.path || "（响应体）"}` });
  }
  if (!Array.isArray(raw)) {
    throw new ConnectorError({ failureType: "data", apiAsset: asset, message: `响应格式不符：${sel.path || "响应体"} 不是数组` });
  }
  if (sel.type === "RowArray") {
    const cols = String(resolveString(sel.columns, vars) ?? "")
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean);
    return raw.map((row) => {
      const out: Record<string, unknown> = {};
      if (Array.isArray(row)) cols.forEach((c, i) => (out[c] = row[i]));
      return out;
    });
  }
  return raw.map((item) => {
    if (sel.wrapAs !== undefined && (typeof item !== "object" || item === null)) return { [sel.wrapAs]: item };
    return item as Record<string, unknown>;
  });
}

interface ListPage {
  state: PagingState;
  next: PagingState | null;
  records: Record<string, unknown>[];
  total?: number;
}

export function declarativeSource(plan: SourcePlan): SourceReader {
  const { api } = plan;
  return {
    read(opts: ReadOptions): AsyncIterable<SourcePage> {
      return {
        [Symbol.asyncIterator]: () => readPages(plan, api, opts),
      };
    },
  };
}

async function* readPages(plan: SourcePlan, api: SourceApi, opts: ReadOptions): AsyncGenerator<SourcePage> {
  const internal = new AbortController();
  const signal = combineSignals(plan.deps?.signal, opts.signal, internal.signal);
  const env = makeEnv(plan.conn, plan.def, plan.deps, signal);
  const paginator = createPaginator(api.paginator);
  const baseVars: TemplateVars = { options: plan.options, settings: plan.conn.settings, params: opts.params ?? {} };
  const listKey = budgetKey(plan.conn, plan.asset);

  const fetchList = async (state: PagingState): Promise<ListPage> => {
    const vars = { ...baseVars, ...paginator.vars(state) };
    const res = await executeCall(env, {
      apiAsset: plan.asset,
      requester: api.requester,
      errorHandler: plan.errorHandler,
      rateLimit: plan.rateLimit,
      rateLimitKey: listKey,
      vars,
      page: state,
      expect: listExpectation(api.recordSelector),
    });
    let records: Record<string, unknown>[];
    try {
      records = selectRecords(api.recordSelector, res.body, vars, plan.asset);
    } catch (e) {
      if (e instanceof ConnectorError) {
        e.page = state;
        e.attempts ??= res.attempts;
      }
      throw e;
    }
    return { state, next: paginator.next(state, { count: records.length, body: res.body }), records, total: paginator.total(res.body) };
  };

  async function* listPages(start: PagingState): AsyncGenerator<ListPage> {
    const inFlight = Math.max(0, Math.floor(opts.pagesInFlight ?? 1));
    if (inFlight > 1 && paginator.ahead) {
      yield* listPagesAhead(start, inFlight, paginator.ahead);
      return;
    }
    if (inFlight === 0) {
      // no read-ahead: a page is requested only when the consumer asks for it
      for (let state: PagingState | null = start; state; ) {
        const page: ListPage = await fetchList(state);
        state = page.next;
        yield page;
      }
      return;
    }
    let pending: Promise<ListPage> | null = quiet(fetchList(start));
    while (pending) {
      const page: ListPage = await pending;
      pending = page.next ? quiet(fetchList(page.next)) : null;
      yield page;
    }
  }

  /**
   * Up to `inFlight` list requests at once, for paginators that know the next page before the answer.
   * Pages are yielded in order; each answer is still checked by `paginator.next`, and the pages asked
   * for ahead of a last page (short, empty, or the reported total reached) are dropped unread.
   */
  async function* listPagesAhead(start: PagingState, inFlight: number, ahead: NonNullable<typeof paginator.ahead>): AsyncGenerator<ListPage> {
    const queue: { state: PagingState; page: Promise<ListPage> }[] = [];
    let from = start; // the next request starts here…
    let last: PagingState | null = null; // …or follows the last one requested
    let guessed = false; // no further page can be known before an answer
    let total: number | undefined;
    const fill = () => {
      while (!guessed && queue.length < inFlight) {
        const state = last === null ? from : ahead(last, total);
        if (!state) {
          guessed = true;
          return;
        }
        queue.push({ state, page: quiet(fetchList(state)) });
        last = state;
      }
    };
    fill();
    while (queue.length) {
      const page = await (queue.shift() as { page: Promise<ListPage> }).page;
      if (page.total !== undefined) total = page.total;
      if (!page.next) {
        queue.length = 0;
        yield page;
        return;
      }
      if (!queue.length || JSON.stringify(queue[0].state) !== JSON.stringify(page.next)) {
        // the answer points elsewhere than guessed: drop the guesses, go on from the answer
        queue.length = 0;
        from = page.next;
        last = null;
        guessed = false;
      }
      fill();
      yield page;
    }
  }

  let pageIndex = 0;
  try {
    const start = opts.resumeFrom ?? paginator.initial();
    if (!api.detail) {
      for await (const p of listPages(start)) {
        yield { pageIndex: pageIndex++, records: p.records, state: p.state, next: p.next, total: p.total };
      }
      return;
    }
    const detail = api.detail;
    const sem = new Semaphore(Number(plan.options.concurrency ?? detail.concurrency) || detail.concurrency);
    const queue: Promise<SourcePage>[] = [];
    for await (const p of listPages(start)) {
      queue.push(quiet(fetchDetails(plan, env, detail, sem, p, pageIndex++, baseVars)));
      if (queue.length >= 2) yield await (queue.shift() as Promise<SourcePage>);
    }
    while (queue.length) yield await (queue.shift() as Promise<SourcePage>);
  } finally {
    internal.abort(new Error("source read closed"));
  }
}

async function fetchDetails(
  plan: SourcePlan,
  env: CallEnv,
  detail: DetailFetch,
  sem: Semaphore,
  page: ListPage,
  pageIndex: number,
  baseVars: TemplateVars,
): Promise<SourcePage> {
  const key = budgetKey(plan.conn, detail.asset);
  const results = await Promise.all(
    page.records.map((item) =>
      sem.run(async () => {
        const id = item[detail.idField];
        try {
          const res = await executeCall(env, {
            apiAsset: detail.asset,
            requester: detail.requester,
            errorHandler: plan.detailErrorHandler ?? plan.errorHandler,
            rateLimit: plan.detailRateLimit,
            rateLimitKey: key,
            vars: { ...baseVars, DETAIL_ID: id, item },
            page: page.state,
            // an answer without the record is unreadable (retried, then the read fails), never a skipped record
            expect: { path: detail.recordPath, shape: "object", label: detail.recordPath ? `记录 ${detail.recordPath}` : "记录" },
          });
          const rec = detail.recordPath === "" ? res.body : getPath(res.body, detail.recordPath);
          const out = { ...(rec as Record<string, unknown>) };
          if (detail.attachIdAs) out[detail.attachIdAs] = id;
          return out;
        } catch (e) {
          // a record the vendor says vanished between list and detail (a definition filter classifies
          // that as a data error) is skipped, not fatal; the observer already got the failed call report
          if (e instanceof ConnectorError && e.failureType === "data" && e.vendorCode !== undefined) return null;
          throw e;
        }
      }),
    ),
  );
  return {
    pageIndex,
    records: results.filter((r): r is Record<string, unknown> => r !== null),
    state: page.state,
    next: page.next,
    total: page.total,
  };
}
