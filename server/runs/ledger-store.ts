/**
 * The engine's hooks implemented with Prisma: the ledger (SyncRecord + SyncRecordHistory), checkpoints
 * and counters on the Run row, and numbered, persisted, published run events.
 *
 * Why this exists: the engine decides what happens to each record; this module makes it durable, fast
 * enough not to be the bottleneck, and identical on SQLite and PostgreSQL. Per batch the ledger writes
 * twice: the write-ahead intent (one row, with the batch's payloads) before the vendor call, and the
 * outcomes (one narrow ledger row per record naming the batch, a history row where it says something,
 * the intent closed) in one transaction after it — because per-row ORM upserts cost more than the
 * vendor calls themselves (see server/bench/engine/README.md). Payloads are read back through
 * batch-payloads.ts. Events are
 * written in small batches and published on the log bus only after they are stored, so a subscriber
 * that backfills from the database never misses one.
 *
 * CHOICE (SQLite): the hot path (ledger, events, checkpoints) goes through a second, raw better-sqlite3
 * connection to the same file with prepared statements, not through Prisma: Prisma 6's client engine
 * costs 3–6 ms per statement, more than the statement itself, and made the ledger the bottleneck.
 * There, the ledger's rows go to sqlite-ledger.cjs as compact arrays (one prepared single-row statement
 * per row, ~25 % cheaper than the JSON parameter that Prisma paths need).
 * With SHUQIAO_LEDGER_THREAD=1 its writes run in the ledger thread (sqlite-worker.cjs, group commit);
 * the connection in this thread (reads, and writes when the thread is off or died) uses busy_timeout 0
 * and *asynchronous* retry (a synchronous wait here could deadlock with a Prisma transaction that
 * awaits between statements). PostgreSQL goes through Prisma (the round trip dominates there).
 */
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import type { Db } from "@/server/db";
import type { Checkpoint, EngineEvent, LedgerEntry, LedgerHooks, LedgerQuery, LedgerStatus, RunHooks, SendingRow, SettleRow, UncertainRow } from "@/server/engine/types";
import { parseIntentRows, payloadReader } from "./batch-payloads";
import { logBus, type RunEventRecord } from "./log-bus";
import { intentText, ledgerWriter, rowId, SETTLE_CONFLICT, type IntentMsg, type SettleMsg, type SettleRowMsg } from "./sqlite-ledger.cjs";

export type Dialect = "sqlite" | "postgres";

const dialects = new WeakMap<object, Dialect>();

/** Which database a client talks to (asked once per client). */
export async function dialectOf(db: Db): Promise<Dialect> {
  const known = dialects.get(db);
  if (known) return known;
  let d: Dialect;
  try {
    await db.$queryRawUnsafe("SELECT sqlite_version()");
    d = "sqlite";
  } catch {
    d = "postgres";
  }
  dialects.set(db, d);
  return d;
}

class Sql {
  readonly params: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  p(v: unknown): string {
    this.params.push(v === undefined ? null : v);
    return this.dialect === "sqlite" ? "?" : `$${this.params.length}`;
  }
  json(v: unknown): string {
    if (v === undefined || v === null) return this.p(null);
    const ph = this.p(JSON.stringify(v));
    return this.dialect === "sqlite" ? ph : `CAST(${ph} AS JSONB)`;
  }
  time(d: Date): string {
    const ph = this.p(this.dialect === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString());
    return this.dialect === "sqlite" ? ph : `CAST(${ph} AS TIMESTAMP(3))`;
  }
}

interface Stmt {
  text: string;
  params: unknown[];
  /** row-wise statement (raw SQLite only): `text` is run once per entry, with that entry as parameters */
  rows?: unknown[][];
}

/** Where SQL goes: the raw SQLite connection, or Prisma. */
interface SqlExec {
  /**
   * true for the raw better-sqlite3 connection: a prepared single-row statement run N times in one
   * transaction is cheaper there than one JSON parameter expanded by `json_each` (no JSON encode of
   * the batch, no JSON parse and re-serialisation of every payload inside SQLite).
   */
  rowwise: boolean;
  /** all statements in one transaction */
  run(stmts: Stmt[]): Promise<void>;
  query<T>(text: string, params: unknown[]): Promise<T[]>;
  /** raw SQLite only: the ledger's two hot-path writes as compact messages (sqlite-ledger.cjs) */
  ledger?: { intent(m: IntentMsg): Promise<void>; settle(m: SettleMsg): Promise<void> };
}

function prismaExec(db: Db): SqlExec {
  return {
    rowwise: false,
    async run(stmts) {
      if (stmts.length === 1) await db.$executeRawUnsafe(stmts[0].text, ...stmts[0].params);
      else await db.$transaction(stmts.map((s) => db.$executeRawUnsafe(s.text, ...s.params)));
    },
    query: <T>(text: string, params: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...params),
  };
}

const rawConnections = new Map<string, SqlExec>();

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? "";
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code.startsWith("SQLITE_BUSY");
}

function sqliteExec(file: string): SqlExec {
  const conn = new Database(file);
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  conn.pragma("busy_timeout = 0");
  // fewer, larger WAL checkpoints (each one fsyncs) and a bigger page cache for the ledger's indexes
  conn.pragma("wal_autocheckpoint = 8000");
  conn.pragma("cache_size = -8000");
  const cache = new Map<string, Database.Statement>();
  const prep = (text: string) => {
    let st = cache.get(text);
    if (!st) {
      st = conn.prepare(text);
      if (cache.size > 200) cache.clear();
      cache.set(text, st);
    }
    return st;
  };
  const retrying = async <T>(fn: () => T): Promise<T> => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (e) {
        if (!isBusy(e) || Date.now() - started > 30_000) throw e;
        await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt * 2)));
      }
    }
  };
  const writer = ledgerWriter(conn);
  const exec: SqlExec = {
    rowwise: true,
    ledger: { intent: (m) => retrying(() => writer.intent(m)), settle: (m) => retrying(() => writer.settle(m)) },
    run: (stmts) =>
      retrying(() => {
        const prepared = stmts.map((s) => ({ st: prep(s.text), params: s.params, rows: s.rows }));
        conn.transaction(() => {
          for (const p of prepared) {
            if (p.rows) for (const r of p.rows) p.st.run(...r);
            else p.st.run(...(p.params as unknown[]));
          }
        }).immediate();
      }),
    query: <T>(text: string, params: unknown[]) => retrying(() => prep(text).all(...(params as unknown[])) as T[]),
  };
  return exec;
}

/** The ledger thread for a SQLite file, or undefined when it cannot start (then sqliteExec). Exported for tests. */
export function workerExec(file: string): { exec: SqlExec; alive(): boolean; stop(): Promise<number> } | undefined {
  const candidates = [path.join(__dirname, "sqlite-worker.cjs"), path.join(process.cwd(), "server", "runs", "sqlite-worker.cjs")];
  const script = candidates.find((c) => fs.existsSync(c));
  if (!script) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { file } });
  } catch {
    return undefined;
  }
  worker.unref();
  let nextId = 0;
  let inFlight = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  worker.on("message", (m: { id: number; ok: boolean; rows?: unknown; error?: { message: string; code?: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (--inFlight === 0) worker.unref();
    if (m.ok) p.resolve(m.rows);
    else p.reject(Object.assign(new Error(m.error?.message ?? "SQLite error"), { code: m.error?.code }));
  });
  // A dead thread fails every call at once (never a hang): what it had not answered is not known to be
  // stored, which the engine treats like any failed write (intents stay open, the run fails cleanly).
  let dead: Error | undefined;
  const die = (e: Error) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
    inFlight = 0;
    rawConnections.delete(file);
  };
  worker.on("error", (e) => die(new Error(`台账写入线程出错：${e.message} (ledger thread failed)`)));
  worker.on("exit", (code) => die(new Error(`台账写入线程已退出（代码 ${code}）(ledger thread exited)`)));
  const call = (msg: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      if (inFlight++ === 0) worker.ref();
      worker.postMessage({ ...msg, id });
    });
  const exec: SqlExec = {
    rowwise: true,
    ledger: {
      intent: async (m) => {
        await call({ op: "intent", m });
      },
      settle: async (m) => {
        await call({ op: "settle", m });
      },
    },
    run: async (stmts) => {
      await call({ op: "run", stmts });
    },
    query: async <T>(text: string, params: unknown[]) => (await call({ op: "query", text, params })) as T[],
  };
  return { exec, alive: () => !dead, stop: () => worker.terminate() };
}

const execs = new WeakMap<object, SqlExec>();

/** The SQL executor for a client: raw better-sqlite3 on the same file for SQLite, Prisma for PostgreSQL. */
export async function execOf(db: Db, dialect: Dialect): Promise<SqlExec> {
  const known = execs.get(db);
  if (known) return known;
  let exec: SqlExec = prismaExec(db);
  if (dialect === "sqlite") {
    const list = await db.$queryRawUnsafe<{ name: string; file: string }[]>("PRAGMA database_list");
    const main = list.find((d) => d.name === "main");
    if (main?.file) {
      const file = main.file;
      let shared = rawConnections.get(file);
      if (!shared) {
        const local = sqliteExec(file);
        // CHOICE: the ledger thread is opt-in (SHUQIAO_LEDGER_THREAD=1). It takes the SQLite work off
        // the pipeline's thread, which pays off when a core is free for it; on the 2-core machines
        // measured (the simulators on the same cores) it was no faster and cost ~40 MB more RSS
        // (bench README). Reads (WAL: never blocked by the writer) stay here, so a page's ledger
        // lookup does not queue behind other batches' writes. If the thread dies, its unanswered
        // calls fail and later ones are written here.
        const thread = process.env.SHUQIAO_LEDGER_THREAD === "1" ? workerExec(file) : undefined;
        shared = thread
          ? {
              rowwise: true,
              query: local.query,
              run: (stmts) => (thread.alive() ? thread.exec.run(stmts) : local.run(stmts)),
              ledger: {
                intent: (m) => (thread.alive() ? thread.exec.ledger!.intent(m) : local.ledger!.intent(m)),
                settle: (m) => (thread.alive() ? thread.exec.ledger!.settle(m) : local.ledger!.settle(m)),
              },
            }
          : local;
        rawConnections.set(file, shared);
      }
      exec = shared;
    }
  }
  execs.set(db, exec);
  return exec;
}

/**
 * The most ids one `IN (…)` list carries: SQLite binds at most 999 parameters per statement (and
 * Prisma adds the other conditions' own), PostgreSQL 65,535. Every list of ids built from user input
 * or from a run's size goes through chunks() with this.
 */
export const IN_CHUNK = 500;

/** The order of SQL's `ORDER BY "sourceId"` on both databases' default (binary) collation for ASCII ids. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the first element of sorted `xs` greater than `x`. */
function upperBound(xs: string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function chunks<T>(rows: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += n) out.push(rows.slice(i, i + n));
  return out;
}

function toEntry(r: {
  sourceId: string;
  number: string | null;
  hash: string | null;
  status: string;
  targetId: string | null;
  targetNumber: string | null;
  attempts: number;
  lastRunId: string | null;
  batchId: string | null;
  sourcePayload?: unknown;
  mappedPayload?: unknown;
}): LedgerEntry {
  return { ...r, status: r.status as LedgerStatus };
}

/**
 * Rows travel to the database as ONE JSON parameter expanded by the database itself (SQLite
 * `json_each`, PostgreSQL `jsonb_to_recordset`): Prisma's per-parameter cost made a 100-row multi-row
 * VALUES statement (1,300 parameters) 20–130 ms; one JSON parameter costs about as much as the SQL.
 */
function rowsSource(dialect: Dialect, sql: Sql, rows: Record<string, unknown>[], columns: Record<string, "text" | "int" | "json" | "time">): { from: string; col: (name: string) => string } {
  const param = sql.p(JSON.stringify(rows));
  if (dialect === "sqlite") {
    return {
      from: `json_each(${param}) AS j`,
      // `->` keeps JSON (strings stay quoted); a JSON null must become SQL NULL for the COALESCEs
      col: (name) => (columns[name] === "json" ? `NULLIF(j.value->'${name}', 'null')` : `j.value->>'${name}'`),
    };
  }
  const defs = Object.entries(columns)
    .map(([n, t]) => `"${n}" ${t === "json" ? "jsonb" : t === "int" ? "integer" : "text"}`)
    .join(", ");
  return {
    from: `jsonb_to_recordset(CAST(${param} AS JSONB)) AS x(${defs})`,
    col: (name) => (columns[name] === "time" ? `CAST(x."${name}" AS TIMESTAMP(3))` : `x."${name}"`),
  };
}

/** The ledger columns a LedgerEntry is built from (toEntry); reruns also read the source payload. */
const ENTRY_SELECT = {
  sourceId: true,
  number: true,
  hash: true,
  status: true,
  targetId: true,
  targetNumber: true,
  attempts: true,
  lastRunId: true,
  batchId: true,
  mappedPayload: true,
} as const;

export function createLedger(db: Db, dialect: Dialect, flowId: string, runId: string, exec: SqlExec = prismaExec(db)): LedgerHooks {
  const T = `"SyncRecord"`;
  const where = dialect === "sqlite" ? " WHERE true" : ""; // SQLite: INSERT … SELECT … ON CONFLICT needs a WHERE

  const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
  const jsonText = (v: unknown, made?: string): string | null => made ?? (v === undefined || v === null ? null : JSON.stringify(v));
  const readPayloads = payloadReader(db);
  // a batch's outcomes stored: its intent is closed, and stays as the batch's payload record
  const closeOps = (batchIds: string[]): Stmt[] =>
    batchIds.map((id) => {
      const sql = new Sql(dialect);
      return { text: `UPDATE "SyncIntent" SET "open" = ${dialect === "sqlite" ? "0" : "false"} WHERE "id" = ${sql.p(id)}`, params: sql.params };
    });

  // placeholders are written in text order and used once each (SQLite binds "?" by position)
  const historyOp = (rows: { sourceId: string; status: string; message?: string | null; targetId?: string | null }[], now: Date): Stmt => {
    const sql = new Sql(dialect);
    const head = `INSERT INTO "SyncRecordHistory" ("id","flowId","sourceId","runId","status","message","targetId","createdAt") SELECT `;
    const flow = sql.p(flowId);
    const run = sql.p(runId);
    const at = sql.time(now);
    const src = rowsSource(
      dialect,
      sql,
      rows.map((r) => ({ id: rowId(), sourceId: r.sourceId, status: r.status, message: r.message ?? null, targetId: r.targetId ?? null })),
      { id: "text", sourceId: "text", status: "text", message: "text", targetId: "text" },
    );
    const c = src.col;
    const text = head + `${c("id")}, ${flow}, ${c("sourceId")}, ${run}, ${c("status")}, ${c("message")}, ${c("targetId")}, ${at} FROM ${src.from}`;
    return { text, params: sql.params };
  };

  const ledger: LedgerHooks = {
    async get(sourceIds) {
      const out = new Map<string, LedgerEntry>();
      for (const ids of chunks(sourceIds, 1000)) {
        const sql = new Sql(dialect);
        const flow = sql.p(flowId);
        const list = sql.p(JSON.stringify(ids));
        const inList = dialect === "sqlite" ? `SELECT value FROM json_each(${list})` : `SELECT jsonb_array_elements_text(CAST(${list} AS JSONB))`;
        const rows = await exec.query<LedgerEntry>(
          `SELECT "sourceId", "number", "hash", "status", "targetId", "targetNumber", "attempts", "lastRunId", "batchId" FROM ${T} WHERE "flowId" = ${flow} AND "sourceId" IN (${inList})`,
          sql.params,
        );
        for (const r of rows) out.set(r.sourceId, { ...r, attempts: Number(r.attempts) });
      }
      return out;
    },

    async openIntent(batchId: string, rows: SendingRow[]) {
      const compact = rows.map((r): IntentMsg["rows"][number] => [r.sourceId, r.number, r.hash, jsonText(r.sourcePayload, r.sourceJson), jsonText(r.mappedPayload, r.mappedJson)]);
      if (exec.ledger) {
        await exec.ledger.intent({ flowId, runId, batchId, at: sqliteTime(new Date()), rows: compact });
        return;
      }
      const sql = new Sql(dialect);
      await exec.run([
        {
          text: `INSERT INTO "SyncIntent" ("id","flowId","runId","size","rows","createdAt") VALUES (${sql.p(batchId)}, ${sql.p(flowId)}, ${sql.p(runId)}, ${sql.p(rows.length)}, ${sql.p(intentText(compact))}, ${sql.time(new Date())})`,
          params: sql.params,
        },
      ]);
    },

    async settle(rows: SettleRow[], closeIntents: string[] = []) {
      if (!rows.length && !closeIntents.length) return;
      const now = new Date();
      if (exec.ledger) {
        const compact = rows.map((r): SettleRowMsg => {
          // a batch's rows carry no payloads: its intent holds them
          const own = !r.batchId;
          return [
            r.sourceId,
            r.status,
            r.number ?? null,
            r.hash ?? null,
            r.targetId ?? null,
            r.targetNumber ?? null,
            r.attempts ?? 0,
            r.error ?? null,
            r.batchId ?? null,
            own ? jsonText(r.sourcePayload, r.sourceJson) : null,
            own ? jsonText(r.mappedPayload, r.mappedJson) : null,
            jsonText(r.response),
            r.firstWrite === true,
          ];
        });
        await exec.ledger.settle({ flowId, runId, at: sqliteTime(now), close: closeIntents, rows: compact });
        return;
      }
      const ops: Stmt[] = [];
      for (const part of chunks(rows, 1000)) {
        const sql = new Sql(dialect);
        const flow = sql.p(flowId);
        const run = sql.p(runId);
        const run2 = sql.p(runId);
        const at = sql.time(now);
        const at2 = sql.time(now);
        const src = rowsSource(
          dialect,
          sql,
          part.map((r) => ({
            sourceId: r.sourceId,
            number: r.number ?? null,
            hash: r.hash ?? null,
            status: r.status,
            targetId: r.targetId ?? null,
            targetNumber: r.targetNumber ?? null,
            attempts: r.attempts ?? 0,
            error: r.error ?? null,
            batchId: r.batchId ?? null,
            // a batch's rows carry no payloads: its intent holds them
            sp: r.batchId ? null : (r.sourcePayload ?? null),
            mp: r.batchId ? null : (r.mappedPayload ?? null),
            resp: r.response ?? null,
          })),
          { sourceId: "text", number: "text", hash: "text", status: "text", targetId: "text", targetNumber: "text", attempts: "int", error: "text", batchId: "text", sp: "json", mp: "json", resp: "json" },
        );
        const c = src.col;
        const text =
          `INSERT INTO ${T} ("flowId","sourceId","number","hash","status","targetId","targetNumber","attempts","lastError","lastRunId","firstRunId","batchId","sourcePayload","mappedPayload","targetResponse","createdAt","updatedAt") ` +
          `SELECT ${flow}, ${c("sourceId")}, ${c("number")}, ${c("hash")}, ${c("status")}, ${c("targetId")}, ${c("targetNumber")}, ${c("attempts")}, ${c("error")}, ${run}, ${run2}, ${c("batchId")}, ` +
          `${c("sp")}, ${c("mp")}, ${c("resp")}, ${at}, ${at2} FROM ${src.from}${where} ` +
          SETTLE_CONFLICT;
        ops.push({ text, params: sql.params });
      }
      // a record's first outcome, written: the ledger row (firstRunId, createdAt) is its history
      for (const part of chunks(
        rows.filter((r) => !(r.firstWrite && r.status === "written")),
        1000,
      )) {
        ops.push(historyOp(part.map((r) => ({ sourceId: r.sourceId, status: r.status, message: r.error ?? null, targetId: r.targetId ?? null })), now));
      }
      ops.push(...closeOps(closeIntents));
      await exec.run(ops);
    },

    async uncertain() {
      const out = new Map<string, UncertainRow>();
      // ledger rows left "sending" by versions before write-ahead intents (an upgrade after a crash)
      const legacy = await db.syncRecord.findMany({ where: { flowId, status: "sending" }, select: { ...ENTRY_SELECT, sourcePayload: true } });
      // (their payloads are their own: batchId "" — no intent row holds them)
      for (const r of legacy) {
        out.set(r.sourceId, { sourceId: r.sourceId, number: r.number, hash: r.hash ?? "", sourcePayload: r.sourcePayload, mappedPayload: r.mappedPayload, batchId: "" });
      }
      const intents = await db.syncIntent.findMany({ where: { flowId, open: true }, orderBy: { createdAt: "asc" }, select: { id: true, rows: true } });
      for (const intent of intents) {
        const rows = parseIntentRows(intent.id, intent.rows);
        // rows of the batch whose outcome was stored before the rest were left open (settled by this batch)
        const known = await ledger.get(rows.map((r) => r.sourceId));
        for (const r of rows) {
          const l = known.get(r.sourceId);
          if (l && l.batchId === intent.id && l.status !== "sending") continue;
          out.set(r.sourceId, { ...r, batchId: intent.id });
        }
      }
      return [...out.values()];
    },

    async select(q: LedgerQuery) {
      const select = { ...ENTRY_SELECT, sourcePayload: true } as const;
      if (q.sourceIds && !q.historyRunId) {
        // Chosen records (a rerun of up to 10,000 ids): never one IN list with every id — SQLite
        // refuses more than ~999 bound parameters. The ids are walked in code-unit order (sorted here,
        // not by the database, whose collation may differ), at most IN_CHUNK at a time, after the
        // keyset position, until a page is full or the ids are exhausted.
        const ids = [...new Set(q.sourceIds)].sort(byCodeUnit);
        let i = q.afterSourceId === undefined ? 0 : upperBound(ids, q.afterSourceId);
        const out: LedgerEntry[] = [];
        while (out.length < q.limit && i < ids.length) {
          const part = ids.slice(i, i + Math.min(IN_CHUNK, q.limit - out.length));
          i += part.length;
          const rows = await db.syncRecord.findMany({
            where: { flowId, ...(q.statuses ? { status: { in: q.statuses } } : {}), sourceId: { in: part } },
            select,
          });
          rows.sort((a, b) => byCodeUnit(a.sourceId, b.sourceId));
          out.push(...(await readPayloads(rows)).map(toEntry));
        }
        return out;
      }
      if (!q.historyRunId) {
        const rows = await db.syncRecord.findMany({
          where: {
            flowId,
            ...(q.statuses ? { status: { in: q.statuses } } : {}),
            ...(q.afterSourceId !== undefined ? { sourceId: { gt: q.afterSourceId } } : {}),
          },
          orderBy: { sourceId: "asc" },
          take: q.limit,
          select,
        });
        return (await readPayloads(rows)).map(toEntry);
      }
      // Rows a given run left in one of `statuses`, still in that status now.
      const out: LedgerEntry[] = [];
      let after = q.afterSourceId;
      while (out.length < q.limit) {
        const hist = await db.syncRecordHistory.findMany({
          where: { runId: q.historyRunId, flowId, ...(q.statuses ? { status: { in: q.statuses } } : {}), ...(after !== undefined ? { sourceId: { gt: after } } : {}) },
          orderBy: { sourceId: "asc" },
          distinct: ["sourceId"],
          take: q.limit,
          select: { sourceId: true },
        });
        if (!hist.length) break;
        after = hist[hist.length - 1].sourceId;
        for (const part of chunks(
          hist.map((h) => h.sourceId),
          IN_CHUNK,
        )) {
          const rows = await db.syncRecord.findMany({
            where: { flowId, sourceId: { in: part }, ...(q.statuses ? { status: { in: q.statuses } } : {}) },
            orderBy: { sourceId: "asc" },
            select,
          });
          out.push(...(await readPayloads(rows)).map(toEntry));
        }
        if (hist.length < q.limit) break;
      }
      return out.slice(0, q.limit);
    },
  };
  return ledger;
}

/**
 * Deletes the closed batches of a flow that no ledger row names any more (every record they carried
 * was written again since); returns how many. Reads only the (flowId, status, batchId) index of the
 * ledger. Housekeeping after a run, outside the engine's hot path.
 */
export async function pruneBatches(db: Db, flowId: string): Promise<number> {
  const sqlite = (await dialectOf(db)) === "sqlite";
  const [a, b, closed] = sqlite ? ["?", "?", "0"] : ["$1", "$2", "false"];
  return db.$executeRawUnsafe(
    `DELETE FROM "SyncIntent" WHERE "flowId" = ${a} AND "open" = ${closed} AND "id" NOT IN (SELECT "batchId" FROM "SyncRecord" WHERE "flowId" = ${b} AND "batchId" IS NOT NULL)`,
    flowId,
    flowId,
  );
}

export interface PersistentHooks extends RunHooks {
  /** waits until every event emitted so far is stored and published */
  drain(): Promise<void>;
  lastSeq(): number;
}

/** The Prisma implementation of the engine's hooks for one run. */
export async function createRunHooks(db: Db, run: { id: string; flowId: string; lastSeq: number }): Promise<PersistentHooks> {
  const dialect = await dialectOf(db);
  const bus = logBus();
  // Events stored after the last checkpoint (a crash between the two) are numbered past run.lastSeq.
  const maxStored = await db.runEvent.aggregate({ where: { runId: run.id }, _max: { seq: true } });
  let seq = Math.max(run.lastSeq, maxStored._max.seq ?? 0);
  let pending: RunEventRecord[] = [];
  const held: RunEventRecord[] = [];
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;

  const exec = await execOf(db, dialect);
  let storedSeq = seq;

  const flush = async () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    try {
      if (exec.rowwise) {
        await exec.run([
          {
            text: `INSERT INTO "RunEvent" ("id","runId","seq","level","type","message","data","createdAt") VALUES (?,?,?,?,?,?,?,?)`,
            params: [],
            rows: batch.map((e) => [
              rowId(),
              run.id,
              e.seq,
              e.level,
              e.type,
              e.message,
              e.data === null || e.data === undefined ? null : JSON.stringify(e.data),
              e.createdAt.toISOString().replace("Z", "+00:00"),
            ]),
          },
        ]);
      } else await exec.run([eventsOp(batch)]);
      storedSeq = batch[batch.length - 1].seq;
    } catch (err) {
      console.error(`[runs] could not store ${batch.length} events of run ${run.id}:`, err);
    }
    for (const e of batch) bus.publish(e);
  };

  const eventsOp = (batch: RunEventRecord[]): Stmt => {
    const sql = new Sql(dialect);
    const runParam = sql.p(run.id); // parameters are pushed in text order: run id, then the rows
    const src = rowsSource(
      dialect,
      sql,
      batch.map((e) => ({
        id: rowId(),
        seq: e.seq,
        level: e.level,
        type: e.type,
        message: e.message,
        data: e.data,
        at: dialect === "sqlite" ? e.createdAt.toISOString().replace("Z", "+00:00") : e.createdAt.toISOString(),
      })),
      { id: "text", seq: "int", level: "text", type: "text", message: "text", data: "json", at: "time" },
    );
    const c = src.col;
    const text =
      `INSERT INTO "RunEvent" ("id","runId","seq","level","type","message","data","createdAt") ` +
      `SELECT ${c("id")}, ${runParam}, ${c("seq")}, ${c("level")}, ${c("type")}, ${c("message")}, ${c("data")}, ${c("at")} FROM ${src.from}`;
    return { text, params: sql.params };
  };

  const hooks: PersistentHooks = {
    ledger: createLedger(db, dialect, run.flowId, run.id, exec),
    async checkpoint(cp: Checkpoint) {
      const sql = new Sql(dialect);
      const text =
        `UPDATE "Run" SET "checkpoint" = ${sql.json(cp.next === null ? { done: true } : { next: cp.next })}, "pages" = ${sql.p(cp.pages)}, ` +
        `"countRead" = ${sql.p(cp.counts.read)}, "countFiltered" = ${sql.p(cp.counts.filtered)}, "countInvalid" = ${sql.p(cp.counts.invalid)}, ` +
        `"countSkipped" = ${sql.p(cp.counts.skipped)}, "countWritten" = ${sql.p(cp.counts.written)}, "countFailed" = ${sql.p(cp.counts.failed)}, ` +
        `"sourceTotal" = COALESCE(CAST(${sql.p(cp.sourceTotal ?? null)} AS INTEGER), "sourceTotal"), "heartbeatAt" = ${sql.time(new Date())}, ` +
        `"lastSeq" = ${sql.p(storedSeq)} WHERE "id" = ${sql.p(run.id)}`;
      await exec.run([{ text, params: sql.params }]);
    },
    event(e: EngineEvent) {
      seq += 1;
      const rec: RunEventRecord = { runId: run.id, seq, level: e.level, type: e.type, message: e.message, data: e.data ?? null, createdAt: new Date() };
      // run.finished is held until drain(): the caller stores the run's final status first, so a
      // subscriber that sees run.finished and reloads the run finds it finished.
      if (e.type === "run.finished") {
        held.push(rec);
        return;
      }
      pending.push(rec);
      if (!scheduled) {
        scheduled = true;
        chain = chain.then(() => new Promise<void>((r) => setTimeout(r, 20))).then(flush);
      }
    },
    async drain() {
      await chain;
      pending.push(...held.splice(0));
      if (pending.length) {
        chain = chain.then(flush);
        await chain;
      }
    },
    lastSeq: () => seq,
  };
  return hooks;
}
