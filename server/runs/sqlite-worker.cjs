/**
 * The SQLite ledger writer thread (plain CommonJS so it loads under tsx, vitest and `next start`).
 *
 * Why this exists: the ledger, run events and checkpoints of a SQLite run are real disk work; done on
 * the main thread it stalls the HTTP pipeline (source reads and target writes) for its whole
 * duration. In this thread it overlaps with them. Statements arrive in order and run in order, each
 * message's statements in one IMMEDIATE transaction; a busy database is waited for here (busy_timeout),
 * which blocks only this thread — never the main thread's Prisma connection.
 */
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const { ledgerWriter } = require("./sqlite-ledger.cjs");

const conn = new Database(workerData.file);
conn.pragma("journal_mode = WAL");
conn.pragma("synchronous = NORMAL");
conn.pragma("busy_timeout = 10000");
conn.pragma("wal_autocheckpoint = 8000");
conn.pragma("cache_size = -8000");

const ledger = ledgerWriter(conn);
const cache = new Map();
function prep(text) {
  let st = cache.get(text);
  if (!st) {
    st = conn.prepare(text);
    if (cache.size > 200) cache.clear();
    cache.set(text, st);
  }
  return st;
}

parentPort.on("message", (msg) => {
  try {
    if (msg.op === "run") {
      const prepared = msg.stmts.map((s) => ({ st: prep(s.text), params: s.params, rows: s.rows }));
      conn.transaction(() => {
        for (const p of prepared) {
          if (p.rows) for (const r of p.rows) p.st.run(...r);
          else p.st.run(...p.params);
        }
      }).immediate();
      parentPort.postMessage({ id: msg.id, ok: true });
    } else if (msg.op === "intent") {
      ledger.intent(msg.m);
      parentPort.postMessage({ id: msg.id, ok: true });
    } else if (msg.op === "settle") {
      ledger.settle(msg.m);
      parentPort.postMessage({ id: msg.id, ok: true });
    } else if (msg.op === "query") {
      parentPort.postMessage({ id: msg.id, ok: true, rows: prep(msg.text).all(...msg.params) });
    } else if (msg.op === "close") {
      conn.close();
      parentPort.postMessage({ id: msg.id, ok: true });
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: { message: e && e.message, code: e && e.code } });
  }
});
