/**
 * Seeds a database with a large run history: N runs over 20 schemes and 90 days, plus M run events —
 * a few "big" runs with tens of thousands of events each and ten events for many ordinary runs.
 *
 * Why this exists: the runs list and a run's log must stay fast with 100,000 runs and 1,000,000 events
 * (runs-bench.ts measures it), and a person can look at the UI against such a history
 * (`DATABASE_URL=… npx tsx server/bench/ui/runs-seed.ts --runs 100000 --events 1000000`).
 * Inserts are raw multi-row INSERTs (500 rows per statement, many statements per transaction): Prisma's
 * createMany through the SQLite driver adapter managed ~3,000 rows/s here, which makes 1,000,000 events
 * a six-minute wait; row-by-row creates would take hours.
 *
 * Usage: npx tsx server/bench/ui/runs-seed.ts [--url DATABASE_URL] [--runs 100000] [--events 1000000]
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { dialectOf, type Dialect } from "@/server/runs/ledger-store";

type Cell = string | number | boolean | null | Date | { json: unknown };

/**
 * One multi-row INSERT per `perStatement` rows, `perTx` statements per transaction. Dates are written
 * the way the rest of the app writes them on each database (SQLite: ISO text with +00:00; PostgreSQL:
 * timestamp(3)); JSON as text (SQLite) or jsonb (PostgreSQL).
 */
async function insertRows(db: Db, dialect: Dialect, table: string, columns: string[], rows: Cell[][], perStatement = 500, perTx = 20): Promise<void> {
  const statements: { text: string; params: unknown[] }[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const params: unknown[] = [];
    const ph = (v: unknown, cast = "") => {
      params.push(v);
      const p = dialect === "sqlite" ? "?" : `$${params.length}`;
      return cast && dialect === "postgres" ? `CAST(${p} AS ${cast})` : p;
    };
    const values = rows.slice(i, i + perStatement).map(
      (r) =>
        "(" +
        r
          .map((c) => {
            if (c instanceof Date) return ph(dialect === "sqlite" ? c.toISOString().replace("Z", "+00:00") : c.toISOString(), "TIMESTAMP(3)");
            if (c && typeof c === "object") return ph(JSON.stringify(c.json), "JSONB");
            if (typeof c === "boolean") return ph(dialect === "sqlite" ? (c ? 1 : 0) : c);
            return ph(c);
          })
          .join(",") +
        ")",
    );
    statements.push({ text: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${values.join(",")}`, params });
  }
  for (let i = 0; i < statements.length; i += perTx) {
    await db.$transaction(statements.slice(i, i + perTx).map((st) => db.$executeRawUnsafe(st.text, ...st.params)));
  }
}

export interface SeedOptions {
  runs: number;
  events: number;
  /** runs that carry EVENTS_PER_BIG events each (the rest of the events go 10 per run) */
  bigRuns?: number;
  flows?: number;
  log?: (m: string) => void;
}

export interface SeedResult {
  flowIds: string[];
  bigRunIds: string[];
  runs: number;
  events: number;
  ms: { runs: number; events: number };
}

const STATUSES = ["succeeded", "succeeded", "succeeded", "succeeded", "partial", "failed", "cancelled"];
const TRIGGERS = ["schedule", "schedule", "schedule", "manual", "rerun", "api"];
const TYPES = ["page.fetched", "batch.written", "checkpoint", "record.failed", "retry"];

function runId(i: number): string {
  return `benchrun${i.toString(36).padStart(8, "0")}`;
}

export async function seedRuns(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => undefined);
  const nFlows = opts.flows ?? 20;
  const bigRuns = opts.bigRuns ?? 10;
  const flowIds: string[] = [];
  const versionIds: string[] = [];
  for (let f = 0; f < nFlows; f++) {
    const flow = await db.flow.create({ data: { name: `基准方案 ${f + 1} · 管易云 → 金蝶 ${Date.now().toString(36)}`, currentVersion: 1 } });
    const v = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: { schemaVersion: 1, nodes: [], edges: [] } } });
    flowIds.push(flow.id);
    versionIds.push(v.id);
  }

  // ---- runs: newest first is index 0; one every ~78 s over 90 days
  const now = Date.now();
  const span = 90 * 86400_000;
  const t0 = Date.now();
  const runRows = Array.from({ length: opts.runs }, (_, i) => {
    const f = i % nFlows;
    const createdAt = new Date(now - Math.floor((i / opts.runs) * span));
    const status = STATUSES[(i * 7) % STATUSES.length];
    const read = 100 + ((i * 37) % 900);
    const failed = status === "partial" ? 1 + (i % 20) : 0;
    return {
      id: runId(i),
      flowId: flowIds[f],
      flowVersionId: versionIds[f],
      trigger: TRIGGERS[i % TRIGGERS.length],
      status,
      countRead: read,
      countWritten: status === "failed" ? 0 : read - failed,
      countFailed: failed,
      pages: Math.ceil(read / 100),
      createdAt,
      startedAt: createdAt,
      finishedAt: new Date(createdAt.getTime() + 2000 + (i % 60_000)),
      lastSeq: 0,
    };
  });
  const dialect = await dialectOf(db);
  await insertRows(
    db,
    dialect,
    "Run",
    ["id", "flowId", "flowVersionId", "trigger", "mode", "status", "countRead", "countFiltered", "countInvalid", "countSkipped", "countWritten", "countFailed", "pages", "cancelRequested", "lastSeq", "createdAt", "startedAt", "finishedAt"],
    runRows.map((r) => [r.id, r.flowId, r.flowVersionId, r.trigger, "full", r.status, r.countRead, 0, 0, 0, r.countWritten, r.countFailed, r.pages, false, r.lastSeq, r.createdAt, r.startedAt, r.finishedAt]),
  );
  const runsMs = Date.now() - t0;
  log(`runs: ${opts.runs} in ${runsMs} ms`);

  // ---- events: big runs first (the newest runs), then 10 per ordinary run
  const perBig = Math.floor(opts.events / 2 / Math.max(1, bigRuns));
  const t1 = Date.now();
  let written = 0;
  const bigRunIds: string[] = [];
  const eventBatch: Cell[][] = [];
  const flush = async () => {
    if (!eventBatch.length) return;
    await insertRows(db, dialect, "RunEvent", ["id", "runId", "seq", "level", "type", "message", "data", "createdAt"], eventBatch.splice(0), 500, 40);
  };
  const push = async (rid: string, seq: number, base: number) => {
    const type = seq === 1 ? "run.started" : TYPES[seq % TYPES.length];
    eventBatch.push([
      randomUUID(),
      rid,
      seq,
      type === "record.failed" ? "error" : type === "retry" ? "warn" : type === "checkpoint" ? "debug" : "info",
      type,
      type === "page.fetched" ? `读取第 ${seq} 页，100 条` : type === "record.failed" ? `记录 G${String(seq).padStart(6, "0")} 写入失败：客户编码已存在` : `事件 ${seq}`,
      { json: { page: seq, records: 100 } },
      new Date(base + seq * 5),
    ]);
    written++;
    if (eventBatch.length >= 20_000) await flush();
  };
  for (let b = 0; b < bigRuns && b < opts.runs; b++) {
    const rid = runId(b);
    bigRunIds.push(rid);
    for (let s = 1; s <= perBig; s++) await push(rid, s, runRows[b].createdAt.getTime());
  }
  let r = bigRuns;
  while (written < opts.events && r < opts.runs) {
    const rid = runId(r);
    for (let s = 1; s <= 10 && written < opts.events; s++) await push(rid, s, runRows[r].createdAt.getTime());
    r++;
  }
  await flush();
  const eventsMs = Date.now() - t1;
  log(`events: ${written} in ${eventsMs} ms`);
  return { flowIds, bigRunIds, runs: opts.runs, events: written, ms: { runs: runsMs, events: eventsMs } };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && /runs-seed\.ts$/.test(process.argv[1])) {
  void (async () => {
    const { createDb, tuneDb } = await import("@/server/db");
    const url = arg("url", process.env.DATABASE_URL ?? "");
    if (!url) throw new Error("give --url or DATABASE_URL (a migrated database)");
    const db = createDb(url);
    await tuneDb(db, url);
    const r = await seedRuns(db, { runs: Number(arg("runs", "100000")), events: Number(arg("events", "1000000")), log: console.log });
    console.log(JSON.stringify({ ...r, flowIds: r.flowIds.length }, null, 2));
    await db.$disconnect();
  })();
}
