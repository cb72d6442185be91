/**
 * Diagnostic: the SQLite ledger's own cost per batch of 100 rows, without HTTP — openIntent, settle
 * (written, with its history rows), a checkpoint — on a fresh migrated file, with shop-like payloads.
 * Usage: tsx ledger.ts [batches=300] [variant=rowwise|json]. Prints one JSON line (ms per 100 rows).
 * LEDGER_PRAGMAS="temp_store=MEMORY;mmap_size=268435456" tries PRAGMAs on the ledger connection.
 *
 * Why this exists: the full benchmark shares 2 cores with the simulators and other work, so its
 * figures move by 2×; this isolates the statements the engine adds on its main thread.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

async function main(): Promise<void> {
  const batches = Number(process.argv[2] ?? 300);
  const variant = process.argv[3] ?? "rowwise";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-ledger-"));
  process.env.DATA_DIR = dir;
  process.env.DATABASE_URL = `file:${path.join(dir, "shuqiao.db")}`;
  process.env.SHUQIAO_SECRET_KEY = "44".repeat(32);
  const { deploy } = await import("../../../scripts/prisma");
  const { createDb, tuneDb } = await import("../../db");
  const { importFlowDocument } = await import("../../flows/store");
  const { createRun } = await import("../../runs/service");
  const { createRunHooks, createLedger, execOf } = await import("../../runs/ledger-store");
  deploy(process.env.DATABASE_URL);
  const db = createDb(process.env.DATABASE_URL);
  await tuneDb(db, process.env.DATABASE_URL);
  const doc = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../examples/guanyi-shops-to-kingdee-customers.json"), "utf8"));
  const { id: flowId } = await importFlowDocument(db, doc, { fallbackName: "bench" });
  const runId = await createRun(db, { flowId, options: { sandbox: true } });
  const hooks = await createRunHooks(db, { id: runId, flowId, lastSeq: 0 });
  const exec = await execOf(db, "sqlite");
  // e.g. LEDGER_PRAGMAS="cache_size=-64000;temp_store=MEMORY" to try settings on the ledger connection
  // e.g. LEDGER_SQL='DROP INDEX "SyncRecord_lastRunId_status_idx"' to try a schema variant
  for (const q of (process.env.LEDGER_SQL ?? "").split(";").filter(Boolean)) await exec.run([{ text: q, params: [] }]);
  for (const p of (process.env.LEDGER_PRAGMAS ?? "").split(";").filter(Boolean)) await exec.query(`PRAGMA ${p}`, []).catch(() => exec.run([{ text: `PRAGMA ${p}`, params: [] }]));
  const ledger = createLedger(db, "sqlite", flowId, runId, variant === "json" ? { ...exec, rowwise: false, ledger: undefined } : exec);
  const t = { intent: 0, settle: 0, checkpoint: 0, historyAlone: 0 };
  const written = () => Number(/wchar: (\d+)/.exec(fs.readFileSync("/proc/self/io", "utf8"))?.[1] ?? 0);
  const w0 = written();
  for (let b = 0; b < batches; b++) {
    const rows = Array.from({ length: 100 }, (_, i) => {
      const n = b * 100 + i;
      const code = `G${String(n).padStart(6, "0")}`;
      const source = { id: n, code, name: `店铺 ${n}`, note: "bench", type_name: "淘宝", create_date: "2026-01-01 00:00:00", modify_date: "2026-01-02 00:00:00" };
      const mapped = { FName: source.name, FNumber: code, FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" }, FDescription: "bench" };
      return { sourceId: String(n), number: code, hash: `h${n}`.padEnd(40, "0"), sourcePayload: source, mappedPayload: mapped };
    });
    let s = performance.now();
    await ledger.openIntent(`b${b}`, rows);
    t.intent += performance.now() - s;
    s = performance.now();
    await ledger.settle(
      rows.map((r) => ({
        sourceId: r.sourceId,
        status: "written" as const,
        number: r.number,
        hash: r.hash,
        targetId: `1${r.sourceId}`,
        targetNumber: r.number,
        attempts: 1,
        response: { Id: 1, Number: r.number },
        firstWrite: true, // as in a scheme's first run: no history row for a first written outcome
        sourcePayload: r.sourcePayload,
        mappedPayload: r.mappedPayload,
        batchId: `b${b}`,
      })),
      [`b${b}`],
    );
    t.settle += performance.now() - s;
    // the history insert alone (an extra row per record, for the split settle = upsert + history)
    s = performance.now();
    await exec.run([
      {
        text: `INSERT INTO "SyncRecordHistory" ("id","flowId","sourceId","runId","status","message","targetId","createdAt") VALUES (?,?,?,?,?,?,?,?)`,
        params: [],
        rows: rows.map((r) => [`x${b}-${r.sourceId}`, flowId, r.sourceId, runId, "written", null, `1${r.sourceId}`, new Date().toISOString()]),
      },
    ]);
    t.historyAlone += performance.now() - s;
    s = performance.now();
    await hooks.checkpoint({ next: { page: b + 1 }, pages: b + 1, counts: { read: b * 100, filtered: 0, invalid: 0, skipped: 0, written: b * 100, failed: 0 } });
    t.checkpoint += performance.now() - s;
  }
  const per = (x: number) => Number((x / batches).toFixed(2));
  process.stdout.write(JSON.stringify({ variant, batches, msPer100: { intent: per(t.intent), settle: per(t.settle), checkpoint: per(t.checkpoint), historyAlone: per(t.historyAlone) }, totalMs: Math.round(t.intent + t.settle + t.checkpoint + t.historyAlone), kbWrittenPer100: Math.round((written() - w0) / 1024 / batches) }) + "\n");
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main().then(() => process.exit(0));
