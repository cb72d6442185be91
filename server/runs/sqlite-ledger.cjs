/**
 * The SQLite ledger's hot-path writes — a batch's write-ahead intent, and its outcomes — on a raw
 * better-sqlite3 connection. Plain CommonJS so the same code runs on the main thread and in the ledger
 * thread (sqlite-worker.cjs), under tsx, vitest and `next start`.
 *
 * Why this exists: these two writes happen for every batch of every run, and on SQLite their cost is
 * mostly per call and per value crossing into SQLite (bench README). So the caller sends compact rows
 * (arrays of strings, payloads already serialised once) and everything derivable — row ids, the
 * history rows, the intent's JSON text — is made here, next to the statements, in the thread that
 * runs them.
 *
 * Messages (built by ledger-store.ts):
 *   intent: { flowId, runId, batchId, at, rows: [sourceId, number, hash, sourceJson, mappedJson][] }
 *   settle: { flowId, runId, at, close: batchId[], rows: [sourceId, status, number, hash, targetId,
 *             targetNumber, attempts, error, batchId, sourceJson, mappedJson, responseJson][] }
 * `at` is SQLite's DATETIME text (ISO with +00:00). A "skipped" row gets a history row only.
 */
const { randomBytes } = require("node:crypto");

// Row ids that grow with time (like cuid): inserts land at the right edge of the primary-key B-tree.
const ID_PREFIX = randomBytes(4).toString("hex");
let idCounter = 0;
function rowId() {
  idCounter = (idCounter + 1) % 1679616; // 36^4
  return "l" + Date.now().toString(36).padStart(9, "0") + idCounter.toString(36).padStart(4, "0") + ID_PREFIX;
}

const T = '"SyncRecord"';
// An outcome keeps what it does not carry (a known target id, payloads of a lookup-settled row).
const UPSERT =
  `INSERT INTO ${T} ("id","flowId","sourceId","number","hash","status","targetId","targetNumber","attempts","lastError","lastRunId","batchId","sourcePayload","mappedPayload","targetResponse","createdAt","updatedAt") ` +
  `VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ` +
  `ON CONFLICT ("flowId","sourceId") DO UPDATE SET "number" = COALESCE(excluded."number", ${T}."number"), "hash" = COALESCE(excluded."hash", ${T}."hash"), ` +
  `"status" = excluded."status", "targetId" = COALESCE(excluded."targetId", ${T}."targetId"), "targetNumber" = COALESCE(excluded."targetNumber", ${T}."targetNumber"), ` +
  `"attempts" = ${T}."attempts" + excluded."attempts", "lastError" = excluded."lastError", "lastRunId" = excluded."lastRunId", "batchId" = excluded."batchId", ` +
  `"sourcePayload" = COALESCE(excluded."sourcePayload", ${T}."sourcePayload"), "mappedPayload" = COALESCE(excluded."mappedPayload", ${T}."mappedPayload"), ` +
  `"targetResponse" = COALESCE(excluded."targetResponse", ${T}."targetResponse"), "updatedAt" = excluded."updatedAt"`;
const HISTORY = `INSERT INTO "SyncRecordHistory" ("id","flowId","sourceId","runId","status","message","targetId","createdAt") VALUES (?,?,?,?,?,?,?,?)`;
const INTENT = `INSERT INTO "SyncIntent" ("id","flowId","runId","size","rows","createdAt") VALUES (?,?,?,?,?,?)`;
const CLOSE = `DELETE FROM "SyncIntent" WHERE "id" = ?`;

/** The intent's stored text: a JSON array of {sourceId, number, hash, sourcePayload, mappedPayload}. */
function intentText(rows) {
  let out = "[";
  for (let i = 0; i < rows.length; i++) {
    const [sourceId, number, hash, sourceJson, mappedJson] = rows[i];
    if (i) out += ",";
    out +=
      `{"sourceId":${JSON.stringify(sourceId)},"number":${number === null ? "null" : JSON.stringify(number)},"hash":${JSON.stringify(hash)},` +
      `"sourcePayload":${sourceJson === null ? "null" : sourceJson},"mappedPayload":${mappedJson === null ? "null" : mappedJson}}`;
  }
  return out + "]";
}

/** Ledger writes bound to one connection (statements prepared on first use, after migrations). */
function ledgerWriter(conn) {
  let st;
  const prepared = () => (st ??= { upsert: conn.prepare(UPSERT), history: conn.prepare(HISTORY), intent: conn.prepare(INTENT), close: conn.prepare(CLOSE) });
  return {
    intent(m) {
      const s = prepared();
      s.intent.run(m.batchId, m.flowId, m.runId, m.rows.length, intentText(m.rows), m.at);
    },
    settle(m) {
      const s = prepared();
      conn
        .transaction(() => {
          for (const r of m.rows) {
            const [sourceId, status, number, hash, targetId, targetNumber, attempts, error, batchId, sourceJson, mappedJson, responseJson] = r;
            if (status !== "skipped") {
              s.upsert.run(rowId(), m.flowId, sourceId, number, hash, status, targetId, targetNumber, attempts, error, m.runId, batchId, sourceJson, mappedJson, responseJson, m.at, m.at);
            }
            s.history.run(rowId(), m.flowId, sourceId, m.runId, status, error, targetId, m.at);
          }
          for (const id of m.close) s.close.run(id);
        })
        .immediate();
    },
  };
}

module.exports = { ledgerWriter, intentText, rowId };
