/**
 * The SQLite ledger writer thread (plain CommonJS so it loads under tsx, vitest and `next start`).
 *
 * Why this exists: the ledger, run events and checkpoints of a SQLite run are real disk work; done on
 * the main thread it stalls the HTTP pipeline (source reads and target writes) for its whole
 * duration. In this thread it overlaps with them.
 *
 * Group commit: messages that arrive while the thread is busy are written together, in arrival order,
 * in ONE transaction, each in its own savepoint (a failing message rolls back alone and gets its own
 * error). Every message is answered only after the transaction holding it committed, so "resolved"
 * still means "stored". One commit per group instead of one per message: each commit rewrites the
 * WAL pages it touched, and consecutive batches touch the same index pages.
 * A busy database is waited for here (busy_timeout), which blocks only this thread — never the main
 * thread's Prisma connection.
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

/** One message's work (inside the group's transaction); returns rows for queries. */
function handle(msg) {
  if (msg.op === "run") {
    for (const s of msg.stmts) {
      const st = prep(s.text);
      if (s.rows) for (const r of s.rows) st.run(...r);
      else st.run(...s.params);
    }
  } else if (msg.op === "intent") ledger.intent(msg.m);
  else if (msg.op === "settle") ledger.settle(msg.m);
  else if (msg.op === "query") return prep(msg.text).all(...msg.params);
  return undefined;
}

const errorOf = (e) => ({ message: e && e.message, code: e && e.code });
const MAX_GROUP = 64;
let queue = [];

function flush() {
  const group = queue.splice(0, MAX_GROUP);
  if (queue.length) setImmediate(flush);
  // Intents first, in a group of their own: a writer waits for its intent before calling the vendor,
  // while nobody waits on the order of other batches' outcomes. (A batch's settle is only sent after
  // its intent was answered, so it can never overtake it.)
  const intents = group.filter((m) => m.op === "intent");
  if (intents.length && intents.length < group.length) {
    commitGroup(intents);
    commitGroup(group.filter((m) => m.op !== "intent"));
  } else commitGroup(group);
}

function commitGroup(group) {
  const replies = [];
  try {
    conn
      .transaction(() => {
        for (const msg of group) {
          try {
            // nested: a savepoint, rolled back alone when this message fails
            const rows = conn.transaction(() => handle(msg))();
            replies.push({ id: msg.id, ok: true, rows });
          } catch (e) {
            replies.push({ id: msg.id, ok: false, error: errorOf(e) });
          }
        }
      })
      .immediate();
  } catch (e) {
    // the commit itself failed: nothing of this group is stored
    replies.length = 0;
    for (const msg of group) replies.push({ id: msg.id, ok: false, error: errorOf(e) });
  }
  for (const r of replies) parentPort.postMessage(r);
}

parentPort.on("message", (msg) => {
  if (msg.op === "close") {
    conn.close();
    parentPort.postMessage({ id: msg.id, ok: true });
    return;
  }
  queue.push(msg);
  if (queue.length === 1) setImmediate(flush);
});
