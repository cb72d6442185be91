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
 *           (sourceJson / mappedJson `undefined`: the texts the batch's intent carried, see ledgerWriter;
 *           an optional 13th element `true`: the record had no ledger row before — see firstWrite)
 * `at` is SQLite's DATETIME text (ISO with +00:00).
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
/**
 * How an outcome updates an existing ledger row: it keeps what it does not carry (a known target id,
 * payloads of a lookup-settled row). Shared with the Prisma path of ledger-store.ts (both dialects).
 */
const SETTLE_CONFLICT =
  `ON CONFLICT ("flowId","sourceId") DO UPDATE SET "number" = COALESCE(excluded."number", ${T}."number"), "hash" = COALESCE(excluded."hash", ${T}."hash"), ` +
  `"status" = excluded."status", "targetId" = COALESCE(excluded."targetId", ${T}."targetId"), "targetNumber" = COALESCE(excluded."targetNumber", ${T}."targetNumber"), ` +
  `"attempts" = ${T}."attempts" + excluded."attempts", "lastError" = excluded."lastError", "lastRunId" = excluded."lastRunId", "batchId" = excluded."batchId", ` +
  `"sourcePayload" = COALESCE(excluded."sourcePayload", ${T}."sourcePayload"), "mappedPayload" = COALESCE(excluded."mappedPayload", ${T}."mappedPayload"), ` +
  `"targetResponse" = COALESCE(excluded."targetResponse", ${T}."targetResponse"), "updatedAt" = excluded."updatedAt"`;
const UPSERT =
  `INSERT INTO ${T} ("id","flowId","sourceId","number","hash","status","targetId","targetNumber","attempts","lastError","lastRunId","firstRunId","batchId","sourcePayload","mappedPayload","targetResponse","createdAt","updatedAt") ` +
  `VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ` +
  SETTLE_CONFLICT;
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

/**
 * Ledger writes bound to one connection (statements prepared on first use, after migrations).
 * The payload texts an intent carried are kept here until the batch is closed, so the settle message
 * names them instead of carrying them again: a settle row whose sourceJson/mappedJson is `undefined`
 * takes them from its batch's intent (from memory, or — after a restart of this writer — from the
 * intent row itself, which the same transaction then deletes).
 */
function ledgerWriter(conn) {
  let st;
  const prepared = () =>
    (st ??= {
      upsert: conn.prepare(UPSERT),
      history: conn.prepare(HISTORY),
      intent: conn.prepare(INTENT),
      close: conn.prepare(CLOSE),
      readIntent: conn.prepare(`SELECT "rows" FROM "SyncIntent" WHERE "id" = ?`),
    });
  /** batchId → sourceId → [sourceJson, mappedJson] */
  const carried = new Map();
  const payloadsOf = (s, batchId) => {
    let byId = carried.get(batchId);
    if (!byId) {
      byId = new Map();
      const row = s.readIntent.get(batchId);
      if (row) for (const r of JSON.parse(row.rows)) byId.set(r.sourceId, [json(r.sourcePayload), json(r.mappedPayload)]);
      carried.set(batchId, byId);
    }
    return byId;
  };
  return {
    intent(m) {
      const s = prepared();
      s.intent.run(m.batchId, m.flowId, m.runId, m.rows.length, intentText(m.rows), m.at);
      const byId = new Map();
      for (const r of m.rows) byId.set(r[0], [r[3], r[4]]);
      carried.set(m.batchId, byId);
    },
    settle(m) {
      const s = prepared();
      conn
        .transaction(() => {
          for (const r of m.rows) {
            const [sourceId, status, number, hash, targetId, targetNumber, attempts, error, batchId, , , responseJson, firstWrite] = r;
            let sourceJson = r[9];
            let mappedJson = r[10];
            if ((sourceJson === undefined || mappedJson === undefined) && batchId) {
              const p = payloadsOf(s, batchId).get(sourceId);
              if (sourceJson === undefined) sourceJson = p ? p[0] : null;
              if (mappedJson === undefined) mappedJson = p ? p[1] : null;
            }
            s.upsert.run(rowId(), m.flowId, sourceId, number, hash, status, targetId, targetNumber, attempts, error, m.runId, m.runId, batchId, sourceJson ?? null, mappedJson ?? null, responseJson, m.at, m.at);
            // a record's first outcome, written: the ledger row (firstRunId, createdAt) is its history
            if (!(firstWrite && status === "written")) s.history.run(rowId(), m.flowId, sourceId, m.runId, status, error, targetId, m.at);
          }
          for (const id of m.close) s.close.run(id);
        })
        .immediate();
      for (const id of m.close) carried.delete(id);
    },
  };
}

const json = (v) => (v === undefined || v === null ? null : JSON.stringify(v));

module.exports = { ledgerWriter, intentText, rowId, SETTLE_CONFLICT };
