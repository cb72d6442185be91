/**
 * The SQLite ledger's hot-path writes — a batch's write-ahead intent, and its outcomes — on a raw
 * better-sqlite3 connection. Plain CommonJS so the same code runs on the main thread and in the ledger
 * thread (sqlite-worker.cjs), under tsx, vitest and `next start`.
 *
 * Why this exists: these two writes happen for every batch of every run, and on SQLite their cost is
 * mostly per call, per value crossing into SQLite and per page written (bench README). So the caller
 * sends compact rows (arrays of strings, payloads already serialised once), everything derivable —
 * history row ids, the history rows, the intent's JSON text — is made here, next to the statements, and a
 * record's payloads are written once: into its batch's intent row, which is kept (closed, not deleted)
 * as the batch's payload record. The ledger row only names its batch; payloads-by-batch.ts reads them
 * back for the screens and reruns.
 *
 * Messages (built by ledger-store.ts):
 *   intent: { flowId, runId, batchId, at, rows: [sourceId, number, hash, sourceJson, mappedJson][] }
 *   settle: { flowId, runId, at, close: batchId[], rows: [sourceId, status, number, hash, targetId,
 *             targetNumber, attempts, error, batchId, sourceJson, mappedJson, responseJson, firstWrite][] }
 *           A row with a batchId carries no payload texts (its batch has them: the ledger row's payload
 *           columns are cleared); a row without one (an invalid record, never sent) carries its own.
 *           firstWrite `true`: the record had no ledger row before — a first *written* outcome then
 *           leaves no history row (the ledger row's firstRunId / createdAt are that entry).
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
 * How an outcome updates an existing ledger row: it keeps a known target id / number / hash it does
 * not carry, adds its attempts, and takes its payload columns as they come (NULL when the payloads are
 * its batch's). Shared with the Prisma path of ledger-store.ts (both dialects).
 */
const SETTLE_CONFLICT =
  `ON CONFLICT ("flowId","sourceId") DO UPDATE SET "number" = COALESCE(excluded."number", ${T}."number"), "hash" = COALESCE(excluded."hash", ${T}."hash"), ` +
  `"status" = excluded."status", "targetId" = COALESCE(excluded."targetId", ${T}."targetId"), "targetNumber" = COALESCE(excluded."targetNumber", ${T}."targetNumber"), ` +
  `"attempts" = ${T}."attempts" + excluded."attempts", "lastError" = excluded."lastError", "lastRunId" = excluded."lastRunId", "batchId" = excluded."batchId", ` +
  `"sourcePayload" = excluded."sourcePayload", "mappedPayload" = excluded."mappedPayload", ` +
  `"targetResponse" = COALESCE(excluded."targetResponse", ${T}."targetResponse"), "updatedAt" = excluded."updatedAt"`;
const UPSERT =
  `INSERT INTO ${T} ("flowId","sourceId","number","hash","status","targetId","targetNumber","attempts","lastError","lastRunId","firstRunId","batchId","sourcePayload","mappedPayload","targetResponse","createdAt","updatedAt") ` +
  `VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ` +
  SETTLE_CONFLICT;
const HISTORY = `INSERT INTO "SyncRecordHistory" ("id","flowId","sourceId","runId","status","message","targetId","createdAt") VALUES (?,?,?,?,?,?,?,?)`;
const INTENT = `INSERT INTO "SyncIntent" ("id","flowId","runId","size","rows","open","createdAt") VALUES (?,?,?,?,?,1,?)`;
/** the batch's outcomes are stored: its intent is closed and stays as the batch's payload record */
const CLOSE = `UPDATE "SyncIntent" SET "open" = 0 WHERE "id" = ?`;

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
  const prepared = () =>
    (st ??= {
      upsert: conn.prepare(UPSERT),
      history: conn.prepare(HISTORY),
      intent: conn.prepare(INTENT),
      close: conn.prepare(CLOSE),
    });
  const settleAll = (m) => {
    const s = prepared();
    for (const r of m.rows) {
      const [sourceId, status, number, hash, targetId, targetNumber, attempts, error, batchId, sourceJson, mappedJson, responseJson, firstWrite] = r;
      const own = !batchId; // payloads of a batch's row are in the batch's intent
      s.upsert.run(m.flowId, sourceId, number, hash, status, targetId, targetNumber, attempts, error, m.runId, m.runId, batchId, own ? (sourceJson ?? null) : null, own ? (mappedJson ?? null) : null, responseJson, m.at, m.at);
      if (!(firstWrite && status === "written")) s.history.run(rowId(), m.flowId, sourceId, m.runId, status, error, targetId, m.at);
    }
    for (const id of m.close) s.close.run(id);
  };
  const settleTx = conn.transaction(settleAll);
  return {
    intent(m) {
      prepared().intent.run(m.batchId, m.flowId, m.runId, m.rows.length, intentText(m.rows), m.at);
    },
    settle(m) {
      // inside an enclosing transaction (the ledger thread's group commit) this is a savepoint
      settleTx.immediate(m);
    },
  };
}

module.exports = { ledgerWriter, intentText, rowId, SETTLE_CONFLICT };
