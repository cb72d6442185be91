/**
 * The write-ahead intent, proven deterministically: a process that dies after the vendor took a batch
 * but before the outcome was stored leaves the batch's intent open, and the next run settles exactly
 * those rows by a lookup at the target — none sent twice, none lost. (kill-resume.test.ts does the same
 * with a real SIGKILL, where the kill lands is left to chance.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionConfig } from "@/server/connectors/types";
import { executePlan } from "@/server/engine/executor";
import type { RunHooks, SendingRow } from "@/server/engine/types";
import { compileFlow } from "@/server/flows/compile";
import { GUANYI_CREDENTIALS, KINGDEE_CREDENTIALS, type Simulators } from "@/server/testing/simulators";
import { createLedger, createRunHooks, dialectOf, execOf } from "./ledger-store";
import { createRun, executeRun } from "./service";
import { importExample, kingdeeDocuments, readExample, sqliteDb, startSandbox, ledgerRows, type TestDb } from "./test-helpers";

const SHOPS = 250;
const EXAMPLE = "guanyi-shops-to-kingdee-customers.json";

describe("write-ahead intents (SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;
  let flowId: string;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS } } });
    flowId = await importExample(t.db, EXAMPLE);
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  it("a crash between the vendor's answer and the stored outcome: the next run settles the batch by lookup", async () => {
    // Run 1: the real engine and hooks, except that storing the first batch's outcome "dies".
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const compiled = await compileFlow(readExample(EXAMPLE), { flowId, flowVersion: 1, resolveConnection: async () => ({ vendor: "" }) });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const real = await createRunHooks(t.db, { id: runId, flowId, lastSeq: 0 });
    let lostBatch: string | undefined;
    const hooks: RunHooks = {
      ...real,
      ledger: {
        ...real.ledger,
        async settle(rows, close) {
          if (!lostBatch && close?.length) {
            lostBatch = close[0];
            throw new Error("simulated crash: the process died before storing the outcome");
          }
          return real.ledger.settle(rows, close);
        },
      },
    };
    const connections = async (id: string): Promise<ConnectionConfig> =>
      id === compiled.plan.source.connectionId
        ? { vendor: "guanyi", baseUrl: sims.guanyi.url, sandbox: true, settings: { appkey: GUANYI_CREDENTIALS.appkey }, secrets: { sessionkey: GUANYI_CREDENTIALS.sessionkey, secret: GUANYI_CREDENTIALS.secret } }
        : {
            vendor: "kingdee",
            baseUrl: `${sims.kingdee.url}/k3cloud/`,
            sandbox: true,
            settings: { acctId: KINGDEE_CREDENTIALS.acctId, username: KINGDEE_CREDENTIALS.username, appId: KINGDEE_CREDENTIALS.appId, lcid: KINGDEE_CREDENTIALS.lcid },
            secrets: { appSecret: KINGDEE_CREDENTIALS.appSecret, password: KINGDEE_CREDENTIALS.password },
          };
    const first = await executePlan(compiled.plan, hooks, { runId, selection: { mode: "full" }, vars: {}, connections });
    await real.drain();
    expect(first.status).toBe("failed");
    expect(lostBatch).toBeDefined();
    // (executePlan was called directly: record its end as executeRun would, so the scheme can run again)
    await t.db.run.update({ where: { id: runId }, data: { status: "failed", finishedAt: new Date() } });

    // The lost batch reached Kingdee, its outcome is nowhere in the ledger, its intent is still open.
    const intent = await t.db.syncIntent.findUnique({ where: { id: lostBatch as string } });
    expect(intent?.size).toBe(100);
    const lostRows = JSON.parse(intent?.rows ?? "[]") as SendingRow[];
    expect(lostRows).toHaveLength(100);
    expect(lostRows[0].sourcePayload).toBeTruthy();
    expect(lostRows[0].mappedPayload).toBeTruthy();
    const lostIds = lostRows.map((r) => r.sourceId);
    expect(await t.db.syncRecord.count({ where: { flowId, sourceId: { in: lostIds } } })).toBe(0);
    const mid = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    const numbers = new Set(mid.documents.map((d) => String(d.FNumber)));
    expect(lostRows.every((r) => numbers.has(String((r.mappedPayload as { FNumber: string }).FNumber)))).toBe(true);

    // the other batches of run 1 (target concurrency 4) were stored normally
    const storedBefore = await t.db.syncRecord.count({ where: { flowId, status: "written" } });
    expect(storedBefore).toBeLessThan(SHOPS - 100 + 1);

    // Run 2, an ordinary run: the lost batch is found at the target, nothing is sent twice.
    const second = await createRun(t.db, { flowId, options: { sandbox: true } });
    const s = await executeRun(t.db, second);
    expect(s.status).toBe("succeeded");
    // the lost batch counts as written by this run (settled by lookup), what run 1 stored as skipped
    expect(s.counts).toMatchObject({ read: SHOPS, written: SHOPS - storedBefore, skipped: storedBefore, failed: 0, invalid: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    expect(docs.createdMoreThanOnce).toBe(0);
    expect(await t.db.syncIntent.count({ where: { flowId, open: true } })).toBe(0);
    const settled = await t.db.runEvent.findFirst({ where: { runId: second, type: "uncertain.settled" } });
    expect(settled?.data).toMatchObject({ uncertain: 100, foundAtTarget: 100 });
    const lost = await ledgerRows(t.db, { where: { flowId, sourceId: { in: lostIds } } });
    expect(lost).toHaveLength(100);
    for (const r of lost) {
      expect(r.status).toBe("written");
      expect(r.targetId).toBeTruthy();
      expect(r.batchId).toBe(lostBatch);
      expect(r.sourcePayload).toBeTruthy(); // the payloads came back from the intent
      expect(r.targetResponse).toEqual({ settledBy: "lookup" });
    }
  });

  it("rows of a batch settled before the rest stay settled; a corrupt intent is named; legacy 'sending' rows still count", async () => {
    const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
    const dialect = await dialectOf(t.db);
    const ledger = createLedger(t.db, dialect, flowId, runId, await execOf(t.db, dialect));
    const row = (n: number): SendingRow => ({ sourceId: `x${n}`, number: `X${n}`, hash: `h${n}`, sourcePayload: { id: n }, mappedPayload: { FNumber: `X${n}` } });
    await ledger.openIntent("b-partial", [row(1), row(2), row(3)]);
    await ledger.settle([{ sourceId: "x1", status: "written", number: "X1", hash: "h1", targetId: "9001", batchId: "b-partial", sourcePayload: { id: 1 } }]);
    expect((await ledger.uncertain()).map((r) => [r.sourceId, r.batchId])).toEqual([
      ["x2", "b-partial"],
      ["x3", "b-partial"],
    ]);
    await ledger.settle(
      [
        { sourceId: "x2", status: "failed", number: "X2", hash: "h2", error: "rejected", batchId: "b-partial" },
        { sourceId: "x3", status: "written", number: "X3", hash: "h3", targetId: "9003", batchId: "b-partial" },
      ],
      ["b-partial"],
    );
    expect(await ledger.uncertain()).toEqual([]);
    expect(await t.db.syncIntent.count({ where: { flowId, open: true } })).toBe(0);

    await t.db.syncIntent.create({ data: { id: "b-broken", flowId, runId, size: 1, rows: "[{not json" } });
    await expect(ledger.uncertain()).rejects.toThrow(/b-broken/);
    await t.db.syncIntent.delete({ where: { id: "b-broken" } });

    await t.db.syncRecord.create({ data: { flowId, sourceId: "old1", number: "OLD1", status: "sending", hash: "h", batchId: "b-old", mappedPayload: { FNumber: "OLD1" } } });
    // (no intent holds a legacy row's payloads: it keeps its own, batchId "")
    expect((await ledger.uncertain()).map((r) => [r.sourceId, r.batchId, r.mappedPayload])).toEqual([["old1", "", { FNumber: "OLD1" }]]);
    await t.db.syncRecord.delete({ where: { flowId_sourceId: { flowId, sourceId: "old1" } } });
  });
});
