/**
 * The streaming executor: runs one plan from source pages to target batches with a ledger.
 *
 * Why this exists: this is where "no record lost, none written twice, everything explainable" is made
 * true. Stages run concurrently with bounded buffers (reader → processor → writers), every record ends
 * in the ledger as written / failed / invalid (unchanged ones are counted as skipped), each batch's
 * intent is stored before its write
 * and rows whose outcome is unknown are settled by a lookup at the target before anything is sent
 * again, and a checkpoint is committed after each page is fully settled. Persistence and events come in
 * through `RunHooks`; this module imports neither Prisma nor React (see README.md for the picture).
 */
import type { CallObserver, ConnectionConfig, PagingState, RowOutcome, SourcePage, SourceReader, TargetWriter } from "@/server/connectors/types";
import { resolveTemplate } from "@/server/mapping";
import { ConnectorError } from "@/server/connectors/errors";
import { DomainError } from "@/server/errors";
import type { MapContext } from "@/server/mapping/types";
import { Channel } from "./channel";
import { openReader, openWriter, updatePreparer } from "./io";
import { compilePipeline, type CompiledPipeline } from "./steps";
import {
  type ConnectionResolver,
  type Counts,
  emptyCounts,
  type EngineEvent,
  type LedgerEntry,
  type Plan,
  type ResumeState,
  type RunHooks,
  type RunResult,
  type RunSelection,
  type SettleRow,
  type StageTimings,
} from "./types";
import { asKey, backoffMs, hashRecord, isTransient, newId, readPath, reasonOf, sleep } from "./util";

export interface ExecuteOptions {
  runId: string;
  connections: ConnectionResolver;
  selection: RunSelection;
  /** resume an interrupted run from its checkpoint */
  resume?: ResumeState | null;
  /** template / mapping variables: LAST_SYNC_TIME, CURRENT_TIME (unix seconds) … */
  vars: Record<string, unknown>;
  /** aborting = cancel: stop reading, finish the in-flight batches, end "cancelled" */
  signal?: AbortSignal;
  /** pages buffered between reader and processor (default 2) */
  bufferPages?: number;
  /** resolves `_findCollection` lookups for the mapper */
  findCollection?: MapContext["findCollection"];
  /**
   * no progress (no page read, no batch or record settled) for this long → the run fails, resumable from
   * its checkpoint; the calls in flight are abandoned with their batches' intents open (default 5 min;
   * Infinity or 0 turns the detector off)
   */
  stallMs?: number;
}

export const DEFAULT_STALL_MS = 5 * 60_000;
/** batches in a row that could neither be written nor looked up before a run stops (see targetUnreachable) */
export const TARGET_DOWN_BATCHES = 3;
/** while the target is down, one batch tries it this often (the others are failed unsent) */
export const TARGET_PROBE_MS = 30_000;
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** "5.2 MB", "1 MB", "800 KB" */
function formatBytes(n: number): string {
  const mb = n / (1024 * 1024);
  if (mb >= 1) return `${Number(mb.toFixed(1))} MB`;
  return `${Number((n / 1024).toFixed(1))} KB`;
}

/**
 * What the ledger keeps of a record over the size limit instead of the record itself: its identity and
 * size. A rerun meeting it settles it invalid again (the content was never stored).
 */
interface OversizedMarker {
  _oversized: { id: string | null; number: string | null; bytes: number; limitBytes: number };
}

function oversizedMarker(v: unknown): OversizedMarker["_oversized"] | undefined {
  const m = (v as Partial<OversizedMarker> | null)?._oversized;
  return m && typeof m === "object" && typeof m.bytes === "number" ? m : undefined;
}

/** The UTF-8 size of a JSON text when it is over `limit` bytes, else undefined (byteLength only when needed). */
function overLimit(json: string, limit: number): number | undefined {
  if (json.length * 3 <= limit) return undefined; // ≤ 3 UTF-8 bytes per UTF-16 unit
  const bytes = Buffer.byteLength(json, "utf8");
  return bytes > limit ? bytes : undefined;
}

interface SourcePageLike {
  records: Record<string, unknown>[];
  next: PagingState | null;
  total?: number;
  /** records come from the ledger (reruns): already past flatten/split */
  fromLedger: boolean;
}

interface PageCtx {
  index: number;
  next: PagingState | null;
  total?: number;
  pending: number;
  processed: boolean;
  counts: Counts;
}

interface WriteRow {
  page: PageCtx;
  sourceId: string;
  number: string | null;
  hash: string;
  source: Record<string, unknown>;
  /** the source record's JSON (the hash's stable text) */
  sourceJson: string;
  doc: Record<string, unknown>;
  /** the mapped document's JSON, made once when the batch is sent */
  mappedJson?: string;
  prev?: LedgerEntry;
}

/** A failure that ends the run; its message is ours, written for a person. */
class FatalRunError extends Error {}

function addCounts(a: Counts, b: Counts): void {
  a.read += b.read;
  a.filtered += b.filtered;
  a.invalid += b.invalid;
  a.skipped += b.skipped;
  a.written += b.written;
  a.failed += b.failed;
}

function emptyEntry(sourceId: string): LedgerEntry {
  return { sourceId, number: null, hash: null, status: "pending", targetId: null, targetNumber: null, attempts: 0, lastRunId: null, batchId: null };
}

/**
 * What a run that ran to its end achieved: succeeded = nothing failed or invalid; partial = something
 * reached the target and something failed / was invalid; failed = nothing reached the target and
 * something failed / was invalid (0 written + 1,000 failed is a failure, not "部分成功").
 * CHOICE: records skipped as unchanged count as "at the target" (they were written by an earlier run
 * and are still correct there): 10,000 unchanged shops and one rejected new one is partial, not failed.
 */
export function outcomeStatus(counts: Counts): "succeeded" | "partial" | "failed" {
  if (counts.failed + counts.invalid === 0) return "succeeded";
  return counts.written + counts.skipped > 0 ? "partial" : "failed";
}

/** Runs a plan to the end (or to cancel / a fatal error) and reports the result. Never throws for run failures. */
export async function executePlan(plan: Plan, hooks: RunHooks, opts: ExecuteOptions): Promise<RunResult> {
  const started = Date.now();
  const timings: StageTimings = { readMs: 0, processMs: 0, writeMs: 0, ledgerMs: 0, totalMs: 0 };
  const committed: Counts = opts.resume ? { ...opts.resume.counts } : emptyCounts();
  let pagesDone = opts.resume?.pages ?? 0;
  let sourceTotal: number | undefined;
  const emit = (type: EngineEvent["type"], level: EngineEvent["level"], message: string, data?: Record<string, unknown>) =>
    hooks.event({ type, level, message, data });

  const internal = new AbortController();
  const cancelled = () => opts.signal?.aborted === true;
  const stopping = () => cancelled() || internal.signal.aborted;
  let fatal: string | undefined;
  const fail = (msg: string) => {
    if (!fatal) fatal = msg;
    internal.abort();
  };
  opts.signal?.addEventListener("abort", () => emit("cancel.requested", "warn", "收到取消请求，完成进行中的批次后停止 (cancel requested)"), { once: true });
  // Aborts the target calls in flight: only a stall does that (a cancel or another fatal error lets
  // the batches already sent finish and store their outcomes).
  const hardStop = new AbortController();
  let unreachableStreak = 0; // batches in a row the target could neither take nor look up
  let downReason = "";
  let lastProbe = 0;

  const observer: CallObserver = {
    onRetry(info) {
      emit(info.rateLimited ? "rate_limited" : "retry", "warn", `${info.apiAsset} 第 ${info.attempt} 次重试，等待 ${info.waitMs}ms：${info.reason}`, { ...info });
    },
  };

  let pipeline: CompiledPipeline;
  let reader: SourceReader | undefined;
  let writer: TargetWriter;
  let beforeUpdate: ((ids: string[]) => Promise<void>) | undefined;
  try {
    pipeline = compilePipeline(plan);
    const targetConn: ConnectionConfig = await opts.connections(plan.target.connectionId);
    writer = openWriter(targetConn, plan.target, { observer, signal: hardStop.signal });
    beforeUpdate = updatePreparer(targetConn, plan.target, { observer, signal: hardStop.signal });
    if (opts.selection.mode === "full") {
      const sourceConn = await opts.connections(plan.source.connectionId);
      reader = openReader(sourceConn, plan.source, { observer });
    }
  } catch (e) {
    const msg = `无法开始运行：${reasonOf(e, "opening the connections")}`;
    emit("run.finished", "error", msg, { status: "failed", counts: committed });
    return { status: "failed", counts: committed, pages: pagesDone, timings: { ...timings, totalMs: Date.now() - started }, error: msg };
  }
  const idField = writer.idField;
  const keyField = plan.target.businessKeyField || writer.businessKeyField;
  const force = opts.selection.mode === "records";
  const maxRecordBytes = plan.source.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const vars = { ...opts.vars, RUN_ID: opts.runId, FLOW_ID: plan.flowId };
  const mapCtx: MapContext = { vars, findCollection: opts.findCollection };

  const timed = async <T>(bucket: keyof StageTimings, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      timings[bucket] += Date.now() - t;
    }
  };

  emit(opts.resume ? "run.resumed" : "run.started", "info", opts.resume ? `从检查点继续运行（已完成 ${pagesDone} 页）(resumed from checkpoint)` : `开始运行 v${plan.flowVersion} (run started)`, {
    flowVersion: plan.flowVersion,
    mode: opts.selection.mode,
    resumeFrom: opts.resume?.next ?? null,
    idCheck: plan.idCheck,
  });

  // ---- 0. Stall detector: no page read and nothing settled for stallMs → fail, resumable ----------
  const stallMs = opts.stallMs ?? DEFAULT_STALL_MS;
  let lastProgress = Date.now();
  const progressed = (): void => {
    lastProgress = Date.now();
  };
  const stallTimer = setInterval(
    () => {
      if (hardStop.signal.aborted || !(stallMs > 0) || Date.now() - lastProgress <= stallMs) return;
      const span = stallMs >= 60_000 ? `${Math.round(stallMs / 6_000) / 10} 分钟` : `${Math.round(stallMs / 100) / 10} 秒`;
      fail(`运行 ${span}没有进展（没有读到新的一页，也没有批次结清），已停止，可从检查点继续；进行中的批次将在下次运行时先向目标核实 (run stalled)`);
      hardStop.abort();
    },
    Number.isFinite(stallMs) && stallMs > 0 ? Math.max(20, Math.min(5_000, stallMs / 4)) : 60_000,
  );
  stallTimer.unref?.();

  // ---- 1. Settle rows whose write outcome is unknown (batch intents left open by a crash) ---------
  try {
    await settleUncertain();
  } catch (e) {
    clearInterval(stallTimer);
    const msg = hardStop.signal.aborted && fatal ? fatal : `无法确认未决记录：${reasonOf(e, "settling uncertain rows")} (could not settle uncertain rows)`;
    emit("run.finished", "error", msg, { status: "failed", counts: committed });
    return { status: "failed", counts: committed, pages: pagesDone, timings: { ...timings, totalMs: Date.now() - started }, error: msg };
  }

  // ---- 2. Page tracking and checkpoints --------------------------------------------------------
  const open: PageCtx[] = [];
  let nextPageIndex = pagesDone;
  let checkpointChain: Promise<void> = Promise.resolve();
  const liveCounts = (): Counts => {
    const c = { ...committed };
    for (const p of open) addCounts(c, p.counts);
    return c;
  };
  const maybeCheckpoint = (): void => {
    let advanced = false;
    let last: PageCtx | undefined;
    while (open.length && open[0].processed && open[0].pending === 0) {
      last = open.shift() as PageCtx;
      addCounts(committed, last.counts);
      pagesDone++;
      advanced = true;
    }
    if (!advanced || !last) return;
    const cp = { next: last.next, pages: pagesDone, counts: { ...committed }, sourceTotal };
    const idx = last.index;
    checkpointChain = checkpointChain
      .then(() => timed("ledgerMs", () => hooks.checkpoint(cp)))
      .then(() => emit("checkpoint", "debug", `第 ${idx + 1} 页已结清，检查点已提交 (checkpoint)`, { page: idx, next: cp.next, counts: cp.counts }))
      .catch((e) => fail(`无法保存检查点：${reasonOf(e, "saving a checkpoint")}，可从上一个检查点继续 (could not save checkpoint)`));
    hooks.progress?.(liveCounts());
  };

  // Source ids in flight (taken by the processor, outcome not stored yet): a record seen twice in one
  // run waits for its first write to settle. Waiters are made only for such repeats, not per record.
  const inflight = new Set<string>();
  const waiters = new Map<string, (() => void)[]>();
  const release = (sourceId: string): void => {
    inflight.delete(sourceId);
    const w = waiters.get(sourceId);
    if (w) {
      waiters.delete(sourceId);
      for (const wake of w) wake();
    }
  };
  const settledOnce = (sourceId: string): Promise<void> =>
    new Promise<void>((wake) => {
      const w = waiters.get(sourceId);
      if (w) w.push(wake);
      else waiters.set(sourceId, [wake]);
    });
  // Outcomes being stored: a writer takes its next batch while its last outcomes are still being
  // stored (the ledger commits them, the page's checkpoint follows), up to this many at once —
  // back-pressure when the store is slower than the vendor.
  const storing = new Set<Promise<void>>();
  const maxStoring = Math.max(2, plan.target.concurrency * 2);
  const allStored = async (): Promise<void> => {
    while (storing.size) await Promise.all(storing);
  };

  // ---- 3. Stages ------------------------------------------------------------------------------
  const pages = new Channel<SourcePageLike>(opts.bufferPages ?? 2);
  const batches = new Channel<WriteRow[]>(Math.max(1, plan.target.concurrency));

  const readerTask = (async () => {
    try {
      for await (const page of pageSource()) {
        if (stopping()) break;
        if (!(await pages.push(page))) break;
      }
    } catch (e) {
      fail(`读取来源失败：${reasonOf(e, "reading the source")} (source read failed)`);
    } finally {
      pages.close();
    }
  })();

  const processorTask = (async () => {
    let batch: WriteRow[] = [];
    try {
      for (;;) {
        const r = await pages.pull();
        if (r.done || stopping()) break;
        const rows = await timed("processMs", () => processPage(r.value));
        for (const row of rows) {
          batch.push(row);
          if (batch.length >= plan.target.batchSize) {
            if (!(await batches.push(batch))) return;
            batch = [];
          }
        }
      }
      if (batch.length && !stopping()) await batches.push(batch);
      batch = [];
    } catch (e) {
      fail(`处理记录失败：${reasonOf(e, "processing records")} (processing failed)`);
    } finally {
      if (stopping()) pages.drain();
      batches.close();
    }
  })();

  const writerTasks = Array.from({ length: Math.max(1, plan.target.concurrency) }, async () => {
    for (;;) {
      const r = await batches.pull();
      if (r.done) return;
      // A batch already taken is written (the "in-flight batch"); nothing new starts after cancel.
      if (stopping()) {
        for (const row of r.value) release(row.sourceId);
        continue;
      }
      try {
        while (storing.size >= maxStoring) await Promise.race(storing);
        await writeBatch(r.value);
      } catch (e) {
        fail(e instanceof FatalRunError ? e.message : `写入目标失败：${reasonOf(e, "writing a batch")} (target write failed)`);
      }
    }
  });

  await Promise.all([readerTask, processorTask, ...writerTasks]);
  await allStored();
  await checkpointChain;

  // ---- 4. Sweep rows left pending by the uncertain-settlement step and not re-read --------------
  if (!stopping() && opts.selection.mode === "full") {
    try {
      await sweepPending();
      await allStored();
      await checkpointChain;
    } catch (e) {
      fail(`补发未决记录失败：${reasonOf(e, "sweeping pending rows")}`);
    }
  }

  clearInterval(stallTimer);
  const counts = liveCounts();
  timings.totalMs = Date.now() - started;
  let status: RunResult["status"];
  let error: string | undefined;
  if (fatal) {
    status = "failed";
    error = fatal;
  } else if (cancelled()) status = "cancelled";
  else {
    status = outcomeStatus(counts);
    if (status === "failed") error = `没有记录写入目标：失败 ${counts.failed} 条，无效 ${counts.invalid} 条，原因见各条记录 (nothing written)`;
    try {
      await timed("ledgerMs", () => hooks.checkpoint({ next: null, pages: pagesDone, counts, sourceTotal }));
    } catch (e) {
      status = "failed";
      error = `无法保存最终检查点：${reasonOf(e, "saving the final checkpoint")}`;
    }
  }
  const label = { succeeded: "成功", partial: "部分成功", failed: "失败", cancelled: "已取消" }[status];
  emit("run.finished", status === "failed" ? "error" : status === "succeeded" ? "info" : "warn", `运行结束：${label}${error ? "，" + error : ""} (run ${status})`, {
    status,
    counts,
    pages: pagesDone,
    sourceTotal,
    timings,
    error,
  });
  return { status, counts, pages: pagesDone, sourceTotal, timings, error };

  // ============================================================================================
  async function* pageSource(): AsyncGenerator<SourcePageLike> {
    if (opts.selection.mode === "full") {
      if (opts.resume && opts.resume.next === null && opts.resume.pages > 0) return; // source was exhausted
      let resumeFrom: PagingState | null | undefined = opts.resume?.next ?? undefined;
      const params = resolveParams(plan.source.params, vars);
      let attempt = 0;
      for (;;) {
        let gotPage = false;
        try {
          const signal = opts.signal ? AbortSignal.any([internal.signal, opts.signal]) : internal.signal;
          const it: AsyncIterator<SourcePage> = (reader as SourceReader).read({ params, resumeFrom, signal, pagesInFlight: plan.source.concurrency })[Symbol.asyncIterator]();
          for (;;) {
            const t = Date.now();
            const r: IteratorResult<SourcePage> = await it.next();
            timings.readMs += Date.now() - t;
            if (r.done) return;
            gotPage = true;
            attempt = 0;
            const page: SourcePage = r.value;
            if (page.total !== undefined) sourceTotal = page.total;
            resumeFrom = page.next;
            emit("page.fetched", "info", `读取第 ${nextPageIndex + 1} 页，${page.records.length} 条`, {
              page: nextPageIndex,
              records: page.records.length,
              total: page.total,
            });
            progressed();
            yield { records: page.records, next: page.next, total: page.total, fromLedger: false };
            if (stopping()) return;
            if (page.next === null) return;
          }
        } catch (e) {
          if (stopping()) return;
          attempt = gotPage ? 1 : attempt + 1;
          if (!isTransient(e) || attempt >= plan.source.retry.maxAttempts) throw e;
          const wait = backoffMs(attempt, plan.source.retry.baseDelayMs, plan.source.retry.maxDelayMs);
          emit("retry", "warn", `读取来源出错，${Math.round(wait)}ms 后从上一页之后重试：${reasonOf(e, "reading the source")}`, { attempt, waitMs: wait, stage: "source" });
          await sleep(wait);
        }
      }
    }
    // Reruns read the ledger: the stored source payload of each selected record. Re-mapping it with the
    // run's flow version (not re-reading the source) is what "re-push what failed then" means, and it
    // works for records the source no longer returns (closed approval windows, changed filters).
    const sel = opts.selection;
    const q =
      sel.mode === "failed_only"
        ? { statuses: ["failed" as const], historyRunId: sel.parentRunId }
        : { sourceIds: (sel as { sourceIds: string[] }).sourceIds };
    let after = (opts.resume?.next as { afterSourceId?: string } | null | undefined)?.afterSourceId;
    if (opts.resume && opts.resume.next === null && opts.resume.pages > 0) return;
    const limit = plan.source.pageSize ?? plan.target.batchSize;
    for (;;) {
      const rows = await timed("ledgerMs", () => hooks.ledger.select({ ...q, afterSourceId: after, limit }));
      if (!rows.length) return;
      after = rows[rows.length - 1].sourceId;
      const last = rows.length < limit;
      progressed();
      emit("page.fetched", "info", `从台账读取第 ${nextPageIndex + 1} 页，${rows.length} 条 (from ledger)`, { page: nextPageIndex, records: rows.length, fromLedger: true });
      yield {
        records: rows.map((r) => (r.sourcePayload ?? {}) as Record<string, unknown>),
        next: last ? null : { afterSourceId: after },
        fromLedger: true,
      };
      if (last || stopping()) return;
    }
  }

  async function processPage(src: SourcePageLike): Promise<WriteRow[]> {
    const page: PageCtx = { index: nextPageIndex++, next: src.next, total: src.total, pending: 0, processed: false, counts: emptyCounts() };
    open.push(page);
    let records = src.records;
    if (!src.fromLedger && plan.steps.some((s) => s.kind === "flatten" || s.kind === "split")) records = pipeline.structural(records);
    page.counts.read += records.length;

    // identity + dedupe within the page (the last occurrence wins)
    const items = new Map<string, { source: Record<string, unknown>; sourceJson: string; number: string | null; hash: string }>();
    const settleNow: SettleRow[] = [];
    for (const rec of records) {
      const { hash, json: sourceJson } = hashRecord(rec, plan.mappingFingerprint);
      const marker = src.fromLedger ? oversizedMarker(rec) : undefined;
      const id = marker ? marker.id : asKey(readPath(rec, plan.source.idField));
      const number = marker ? marker.number : plan.source.numberField ? asKey(readPath(rec, plan.source.numberField)) : null;
      // Bounded records: one over the limit is invalid with its size, and neither stored nor sent — the
      // ledger keeps a marker (identity and size) in its place.
      const bytes = marker ? marker.bytes : overLimit(sourceJson, maxRecordBytes);
      if (bytes !== undefined) {
        page.counts.invalid++;
        const sid = id ?? `#missing-id:${hash.slice(0, 16)}`;
        const error = marker
          ? `记录大小 ${formatBytes(bytes)} 超过读取时 ${formatBytes(marker.limitBytes)} 上限，台账未保存其内容，请从来源重新同步 (record too large)`
          : `记录大小 ${formatBytes(bytes)} 超过 ${formatBytes(maxRecordBytes)} 上限，未保存也未发送 (record too large)`;
        const stub: OversizedMarker = { _oversized: { id, number, bytes, limitBytes: marker?.limitBytes ?? maxRecordBytes } };
        settleNow.push({ sourceId: sid, status: "invalid", number, hash, error, sourcePayload: stub, sourceJson: JSON.stringify(stub) });
        emit("record.invalid", "warn", `记录 ${number ?? sid} 过大：${error}`, { sourceId: sid, number, bytes, limitBytes: maxRecordBytes });
        continue;
      }
      if (id === null) {
        page.counts.invalid++;
        const sid = `#missing-id:${hash.slice(0, 16)}`;
        settleNow.push({ sourceId: sid, status: "invalid", number, hash, error: `缺少来源 ID 字段 ${plan.source.idField} (missing id field)`, sourcePayload: rec, sourceJson });
        emit("record.invalid", "warn", `记录缺少 ID 字段 ${plan.source.idField}`, { sourceId: sid, number });
        continue;
      }
      if (items.has(id)) page.counts.skipped++;
      items.set(id, { source: rec, sourceJson, number, hash });
    }
    const ids = [...items.keys()];
    const repeats = ids.filter((id) => inflight.has(id));
    if (repeats.length) await Promise.all(repeats.map(settledOnce));
    const ledger = ids.length ? await timed("ledgerMs", () => hooks.ledger.get(ids)) : new Map<string, LedgerEntry>();

    const out: WriteRow[] = [];
    for (const [sourceId, it] of items) {
      const prev = ledger.get(sourceId);
      const stepped = pipeline.apply(it.source);
      if (stepped.kind === "filtered") {
        page.counts.filtered++;
        continue;
      }
      if (stepped.kind === "invalid") {
        page.counts.invalid++;
        const error = stepped.reasons.join("; ");
        settleNow.push({ sourceId, status: "invalid", number: it.number, hash: it.hash, error, sourcePayload: it.source, sourceJson: it.sourceJson });
        emit("record.invalid", "warn", `记录 ${it.number ?? sourceId} 校验未通过：${error}`, { sourceId, number: it.number, reasons: stepped.reasons });
        continue;
      }
      if (!force && plan.idCheck && prev && prev.status === "written" && prev.hash === it.hash) {
        // CHOICE: an unchanged record leaves no trace but the run's "skipped" count — no history row.
        // A scheme of 100k records run hourly would otherwise add 2.4M rows a day saying "nothing".
        if (prev.lastRunId === opts.runId) page.counts.written++; // written by this run before an interruption
        else page.counts.skipped++;
        continue;
      }
      const m = pipeline.map(stepped.record, mapCtx);
      const mapped = m instanceof Promise ? await m : m;
      if (mapped.reasons.length) {
        page.counts.invalid++;
        const error = mapped.reasons.join("; ");
        settleNow.push({ sourceId, status: "invalid", number: it.number, hash: it.hash, error, sourcePayload: it.source, sourceJson: it.sourceJson, mappedPayload: mapped.doc });
        emit("record.invalid", "warn", `记录 ${it.number ?? sourceId} 映射失败：${error}`, { sourceId, number: it.number, reasons: mapped.reasons });
        continue;
      }
      out.push({ page, sourceId, number: it.number, hash: it.hash, source: it.source, sourceJson: it.sourceJson, doc: mapped.doc, prev });
    }
    if (settleNow.length) await timed("ledgerMs", () => hooks.ledger.settle(settleNow));
    progressed();
    page.pending = out.length;
    for (const row of out) inflight.add(row.sourceId);
    page.processed = true;
    if (page.pending === 0) maybeCheckpoint();
    return out;
  }

  function keyOf(row: { doc: Record<string, unknown> }): string | null {
    return asKey(row.doc[keyField]);
  }

  /** Looks keys up at the target, retrying transient failures; throws when the target cannot answer. */
  async function lookup(keys: string[]): Promise<Map<string, { targetId: string; targetNumber?: string }>> {
    const uniq = [...new Set(keys)];
    if (!uniq.length) return new Map();
    const retry = plan.target.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        return await timed("writeMs", () => writer.lookupByKeys(uniq));
      } catch (e) {
        if (!isTransient(e) || attempt >= retry.maxAttempts) throw e;
        const wait = backoffMs(attempt, retry.baseDelayMs, retry.maxDelayMs);
        emit("retry", "warn", `按业务编码查询目标失败，${Math.round(wait)}ms 后重试：${reasonOf(e, "looking up keys")}`, { attempt, waitMs: wait, stage: "lookup" });
        await sleep(wait);
      }
    }
  }

  /**
   * lookup() for settling rows whose last send may have landed: found → written. When the target cannot
   * answer, the outcome is unknown: the rows are reported failed with a reason saying so (after `cause`,
   * the write's own failure) and never resent blind — they carry attempts, so the ledger sends them
   * through a lookup first on the next run or failed-only rerun. After a stall nothing is reported: the
   * batch's intent stays open and the next run settles it.
   */
  async function lookupOrUnknown(rows: WriteRow[], results: Map<WriteRow, SettleRow>, cause?: string): Promise<WriteRow[]> {
    try {
      const found = await lookup(rows.map(keyOf).filter((k): k is string => !!k));
      targetAnswered();
      return rows.filter((r) => {
        const k = keyOf(r);
        const hit = k ? found.get(k) : undefined;
        if (hit) results.set(r, writtenRow(r, hit.targetId, hit.targetNumber, { settledBy: "lookup" }));
        return !hit;
      });
    } catch (e) {
      if (hardStop.signal.aborted) return [];
      const lookupReason = reasonOf(e, "looking up keys to settle a write");
      const msg = unknownOutcome(cause, lookupReason);
      for (const r of rows) results.set(r, failedRow(r, msg));
      targetUnreachable(cause ?? lookupReason);
      return [];
    }
  }

  /**
   * A target that can neither take a batch nor answer a lookup is down. Each such batch costs a write
   * plus a lookup under the retry policy, so a long run against a dead target would take hours failing
   * batch after batch (the stall detector never fires: batches do settle). After TARGET_DOWN_BATCHES such
   * batches in a row the circuit opens: the next batches are not sent — their rows are failed at once
   * with the reason (every record stays visible, re-pushable once the target is back) — except one probe
   * batch every TARGET_PROBE_MS, which closes the circuit again when the target answers.
   */
  function targetUnreachable(reason: string): void {
    unreachableStreak++;
    downReason = reason;
    if (unreachableStreak === TARGET_DOWN_BATCHES) {
      lastProbe = Date.now();
      emit("retry", "warn", `目标系统持续不可用（连续 ${unreachableStreak} 个批次既无法写入也无法核实），后续批次暂不发送、直接记为失败，每 ${TARGET_PROBE_MS / 1000} 秒试探一次 (target down)`, {
        stage: "target",
        targetDown: true,
      });
    }
  }

  function targetAnswered(): void {
    if (unreachableStreak >= TARGET_DOWN_BATCHES) emit("retry", "info", "目标系统已恢复，继续写入 (target back)", { stage: "target", targetDown: false });
    unreachableStreak = 0;
  }

  /** true when this batch should not be sent (circuit open and no probe due) */
  function targetDown(): boolean {
    if (unreachableStreak < TARGET_DOWN_BATCHES) return false;
    if (Date.now() - lastProbe >= TARGET_PROBE_MS) {
      lastProbe = Date.now();
      return false; // this batch probes
    }
    return true;
  }

  function unknownOutcome(cause: string | undefined, lookupReason: string): string {
    const check = lookupReason === cause ? "且无法向目标核实" : `且无法向目标核实（${lookupReason}）`;
    return `${cause ? `${cause}；` : ""}写入结果未知，${check}；重推失败记录时会先按业务编码核对目标再发送 (outcome unknown)`;
  }

  async function writeBatch(rows: WriteRow[]): Promise<void> {
    const batchId = newId("b");
    const retry = plan.target.retry;
    const results = new Map<WriteRow, SettleRow>();
    const attemptsOf = new Map<WriteRow, number>();
    const down = targetDown();
    try {
      // Updates need the target's internal id: from the ledger, or looked up by business key for rows
      // that were attempted before without a known id (their first write may have landed).
      const needLookup = rows.filter(
        (r) => !r.prev?.targetId && (plan.target.lookupExisting || (r.prev && (r.prev.attempts > 0 || r.prev.status === "sending"))),
      );
      if (needLookup.length && !down) {
        try {
          const found = await lookup(needLookup.map(keyOf).filter((k): k is string => !!k));
          for (const r of needLookup) {
            const k = keyOf(r);
            const hit = k ? found.get(k) : undefined;
            if (hit) r.prev = { ...(r.prev ?? emptyEntry(r.sourceId)), targetId: hit.targetId, targetNumber: hit.targetNumber ?? null };
          }
        } catch (e) {
          if (hardStop.signal.aborted) return; // stalled: nothing sent, nothing settled; the page is not checkpointed
          // Not sent: an earlier attempt may have landed and only the target can say. The rows are
          // failed for now and keep their attempts, so the next try looks them up first again.
          const why = reasonOf(e, "looking up keys before a write");
          const unknown = unknownOutcome(undefined, why);
          const unsent = `无法按业务编码核对目标（${why}），本次未发送；重推失败记录时会先核对再发送`;
          for (const r of needLookup) results.set(r, failedRow(r, r.prev && (r.prev.attempts > 0 || r.prev.status === "sending") ? unknown : unsent));
        }
      }
      for (const r of rows) {
        if (r.prev?.targetId && idField) r.doc = { ...r.doc, [idField]: r.prev.targetId };
        r.mappedJson = JSON.stringify(r.doc);
      }

      // Write-ahead: the batch's intent is stored before the call; a crash from here until its settle
      // leaves the intent open, and the next run settles its rows by lookup before sending again.
      // (Rows already failed above are in it too: the intent is where a batch's rows keep their payloads.)
      await timed("ledgerMs", () =>
        hooks.ledger.openIntent(
          batchId,
          rows.map((r) => ({ sourceId: r.sourceId, number: r.number, hash: r.hash, sourcePayload: r.source, mappedPayload: r.doc, sourceJson: r.sourceJson, mappedJson: r.mappedJson })),
        ),
      );

      let remaining = rows.filter((r) => !results.has(r));
      if (down) {
        // the target is down (see targetUnreachable): not sent; rows attempted before keep their
        // attempts, so a re-push looks them up first
        const msg = `目标系统暂不可用，本批未发送（${downReason}）；恢复后重推失败记录即可 (target unavailable, not sent)`;
        for (const r of remaining) results.set(r, failedRow(r, msg));
        remaining = [];
      }
      const updates = remaining.map((r) => r.prev?.targetId).filter((id): id is string => !!id);
      if (updates.length && beforeUpdate) {
        try {
          await timed("writeMs", () => (beforeUpdate as (ids: string[]) => Promise<void>)(updates));
        } catch (e) {
          if (hardStop.signal.aborted) return;
          // nothing of this batch was saved: its rows are failed with the reason, and a bug stops the run
          const msg = `更新前反审核失败，本批未发送：${reasonOf(e, "un-auditing before an update")}`;
          for (const r of remaining) results.set(r, failedRow(r, msg));
          if (!(e instanceof DomainError) || (e instanceof ConnectorError && e.failureType === "config")) throw new FatalRunError(`目标拒绝请求，运行终止：${msg}`);
          remaining = [];
        }
      }

      let ambiguous = false;
      let attempt = 0;
      while (remaining.length) {
        attempt++;
        for (const r of remaining) attemptsOf.set(r, attempt);
        let outcomes: RowOutcome[];
        try {
          outcomes = await timed("writeMs", () => writer.writeBatch(remaining.map((r) => r.doc)));
          // the target answered — unless every row came back retryable (a whole-call failure the writer
          // reports per row, e.g. HTTP 502): that is no sign of life
          if (outcomes.some((o) => o.status === "written" || !o.retryable)) targetAnswered();
          if (outcomes.length !== remaining.length) throw new DomainError("BAD_GATEWAY", `目标返回 ${outcomes.length} 个结果，期望 ${remaining.length} 个，写入结果无法对应到记录`);
        } catch (e) {
          // Stalled: the call was abandoned and may still land; the rows stay in the open intent and
          // the next run settles them by lookup.
          if (hardStop.signal.aborted) break;
          // One retry policy per call: the connector already retried what it may (a ConnectorError is
          // final), so the engine does not send again. The call may have reached the target unless the
          // target refused it outright (config / data): settle by lookup, fail the rest with the reason.
          const msg = reasonOf(e, "writing a batch");
          const refused = e instanceof ConnectorError && e.failureType !== "transient";
          ambiguous = true;
          if (!refused) remaining = await lookupOrUnknown(remaining, results, msg);
          for (const r of remaining) results.set(r, failedRow(r, msg));
          // a refused configuration or a bug fails every batch the same way: stop the run
          if (!(e instanceof DomainError) || (e instanceof ConnectorError && e.failureType === "config")) throw new FatalRunError(`目标拒绝请求，运行终止：${msg}`);
          break;
        }
        const again: WriteRow[] = [];
        const failedAmbiguous: WriteRow[] = [];
        outcomes.forEach((o, i) => {
          const r = remaining[i];
          if (o.status === "written") results.set(r, writtenRow(r, o.targetId, o.targetNumber, o.response));
          else if (o.retryable && attempt < retry.maxAttempts) again.push(r);
          else if (ambiguous || o.retryable) failedAmbiguous.push(r);
          else results.set(r, failedRow(r, o.message, o.response, o.field));
        });
        // A row rejected after an ambiguous attempt may be rejected *because* that attempt landed
        // (e.g. number uniqueness), and a row still retryable after the last attempt (a whole-call
        // failure: the call may have landed) is unknown: check the target before calling it failed.
        if (failedAmbiguous.length) {
          const outcomeOf = (r: WriteRow) => outcomes[remaining.indexOf(r)] as Extract<RowOutcome, { status: "failed" }>;
          const notFound = await lookupOrUnknown(failedAmbiguous, results, outcomeOf(failedAmbiguous[0]).message);
          for (const r of notFound) {
            const o = outcomeOf(r);
            results.set(r, failedRow(r, o.message, o.response, o.field));
          }
        }
        remaining = again;
        if (remaining.length) {
          ambiguous = true;
          const wait = backoffMs(attempt, retry.baseDelayMs, retry.maxDelayMs);
          const why = (outcomes[outcomes.findIndex((o) => o.status === "failed")] as Extract<RowOutcome, { status: "failed" }>).message;
          emit("retry", "warn", `${remaining.length} 行可重试失败，${Math.round(wait)}ms 后先核对目标再重发：${why} (retrying rows)`, { batchId, attempt, waitMs: wait, rows: remaining.length });
          await sleep(wait);
          remaining = await lookupOrUnknown(remaining, results, why);
        }
      }
    } finally {
      // Rows without a result (an error after the intent, before an answer) keep the intent open: the
      // next run settles them. Rows settled here are skipped then (their ledger row names this batch).
      // The outcomes are stored while this writer goes on to its next batch; the rows count, leave
      // the in-flight set and let their page be checkpointed only once the store has them.
      const settled: SettleRow[] = [];
      for (const r of rows) {
        const s = results.get(r);
        if (!s) continue;
        s.attempts = attemptsOf.get(r) ?? 0;
        s.batchId = batchId;
        settled.push(s);
      }
      const close = settled.length === rows.length ? [batchId] : [];
      const stored: Promise<void> = storeOutcomes(batchId, rows, results, settled, close).then((ok) => {
        for (const r of rows) {
          if (ok && results.has(r)) r.page.pending--;
          release(r.sourceId);
        }
        storing.delete(stored);
        maybeCheckpoint();
      });
      storing.add(stored);
    }
  }

  /** Stores a batch's outcomes and counts them; false when they could not be stored (the run fails). */
  async function storeOutcomes(batchId: string, rows: WriteRow[], results: Map<WriteRow, SettleRow>, settled: SettleRow[], close: string[]): Promise<boolean> {
    if (!settled.length) return true;
    try {
      await timed("ledgerMs", () => hooks.ledger.settle(settled, close));
    } catch (e) {
      // not stored: the batch's intent stays open and the next run settles its rows by lookup; the
      // page is never checkpointed past them
      fail(`无法保存写入结果：${reasonOf(e, "storing outcomes")} (could not store outcomes)`);
      return false;
    }
    progressed();
    let written = 0;
    let failed = 0;
    for (const r of rows) {
      const s = results.get(r);
      if (!s) continue;
      if (s.status === "written") {
        r.page.counts.written++;
        written++;
      } else {
        r.page.counts.failed++;
        failed++;
        emit("record.failed", "error", `记录 ${r.number ?? r.sourceId} 写入失败：${s.error}`, { sourceId: r.sourceId, number: r.number, error: s.error, batchId });
      }
    }
    emit("batch.written", failed ? "warn" : "info", `批次写入 ${written} 条${failed ? `，失败 ${failed} 条` : ""}`, { batchId, written, failed, rows: rows.length });
    return true;
  }

  // A batch's outcomes carry no payloads: its intent holds them (the ledger row names the batch).
  function writtenRow(r: WriteRow, targetId: string, targetNumber: string | undefined, response: unknown): SettleRow {
    return {
      sourceId: r.sourceId,
      status: "written",
      number: r.number,
      hash: r.hash,
      targetId,
      targetNumber: targetNumber ?? keyOf(r),
      response,
      firstWrite: !r.prev,
    };
  }

  function failedRow(r: WriteRow, message: string, response?: unknown, field?: string): SettleRow {
    return {
      sourceId: r.sourceId,
      status: "failed",
      number: r.number,
      hash: r.hash,
      error: field ? `${field}: ${message}` : message,
      targetId: r.prev?.targetId ?? null,
      response,
    };
  }

  async function settleUncertain(): Promise<void> {
    const rows = await timed("ledgerMs", () => hooks.ledger.uncertain());
    if (!rows.length) return;
    const keyed = rows.map((r) => ({ r, key: asKey(((r.mappedPayload ?? {}) as Record<string, unknown>)[keyField]) }));
    const found = new Map<string, { targetId: string; targetNumber?: string }>();
    for (let i = 0; i < keyed.length; i += 100) {
      const chunk = keyed.slice(i, i + 100).map((k) => k.key).filter((k): k is string => !!k);
      for (const [k, v] of await lookup(chunk)) found.set(k, v);
    }
    const settle: SettleRow[] = keyed.map(({ r, key }) => {
      const hit = key ? found.get(key) : undefined;
      // an intent's rows: their payloads stay in it; legacy "sending" rows (no intent) keep their own
      const payloads = r.batchId ? { batchId: r.batchId } : { sourcePayload: r.sourcePayload, mappedPayload: r.mappedPayload, batchId: null };
      return hit
        ? { sourceId: r.sourceId, status: "written", number: r.number, hash: r.hash, targetId: hit.targetId, targetNumber: hit.targetNumber ?? key, response: { settledBy: "lookup" }, ...payloads }
        : { sourceId: r.sourceId, status: "pending", number: r.number, hash: null, error: "写入结果未知，目标中未找到，将重新发送 (outcome unknown, not at target)", ...payloads };
    });
    const intents = [...new Set(rows.map((r) => r.batchId).filter(Boolean))];
    await timed("ledgerMs", () => hooks.ledger.settle(settle, intents));
    progressed();
    const written = settle.filter((s) => s.status === "written").length;
    emit("uncertain.settled", "warn", `上次中断时有 ${rows.length} 条写入结果未知：目标中已存在 ${written} 条，其余 ${rows.length - written} 条将重新发送`, {
      uncertain: rows.length,
      foundAtTarget: written,
    });
  }

  async function sweepPending(): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const rows = await hooks.ledger.select({ statuses: ["pending"], afterSourceId: after, limit: plan.target.batchSize });
      if (!rows.length) return;
      after = rows[rows.length - 1].sourceId;
      const src: SourcePageLike = { records: rows.map((r) => (r.sourcePayload ?? {}) as Record<string, unknown>), next: null, fromLedger: true };
      // these records were already counted as read by the run that left them pending
      const out = await processPage(src);
      const page = out[0]?.page ?? open[open.length - 1];
      if (page) page.counts.read -= src.records.length;
      if (out.length) await writeBatch(out);
      if (rows.length < plan.target.batchSize) return;
    }
  }
}

/** Resolves templates in source params ({{LAST_SYNC_TIME|datetime}} …) against the run's variables. */
function resolveParams(params: Record<string, unknown>, vars: Record<string, unknown>): Record<string, unknown> {
  return resolveTemplateTree(params, vars) as Record<string, unknown>;
}

function resolveTemplateTree(value: unknown, vars: Record<string, unknown>): unknown {
  // `_function UNIX_TIMESTAMP()*1000` has no placeholder but is still an expression to evaluate.
  if (typeof value === "string") return value.includes("{") || value.trimStart().startsWith("_function") ? resolveTemplate(value, {}, { vars }) : value;
  if (Array.isArray(value)) return value.map((v) => resolveTemplateTree(v, vars));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolveTemplateTree(v, vars);
      if (r !== undefined && r !== "") out[k] = r;
    }
    return out;
  }
  return value;
}
