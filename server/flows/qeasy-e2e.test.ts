/**
 * Imported Qeasy schemes run end to end: Qeasy JSON → importQeasy → flow version → the run engine →
 * the real connectors over HTTP → the simulators; the Kingdee simulator must then hold the expected
 * documents. Also the CLI path: `import-qeasy` then `run --sandbox --json` in a child process.
 *
 * Test-only patch (stated where used): the first incremental window of the DingTalk and vip schemes
 * is widened to the simulators' seeded span (Qeasy's first-run LAST_SYNC_TIME is not documented;
 * the importer uses the engine's default 30-day look-back).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRun, executeRun } from "@/server/runs/service";
import { kingdeeDocuments, sqliteDb, startSandbox, ledgerRows, type TestDb } from "@/server/runs/test-helpers";
import type { Simulators } from "@/server/testing/simulators";
import type { FlowDoc } from "./flow.schema";
import { QEASY_FIXTURES_DIR, qeasyFixture, type QeasyScenario } from "./qeasy-fixtures";
import { importQeasy } from "./qeasy-import";
import { importFlowDocument } from "./store";

const ROOT = path.resolve(__dirname, "../..");
const SHOPS = 60;
const VIPS = 80;
const APPROVALS = 120;
const TRADES = 40;
const PETTY = "PROC-SQ-BYJ-7F3A2C1D-5B6E-4D8A-9C0F-2E4A6B8D0C1E";
const DAY = 86400;

describe("imported Qeasy schemes run against the simulators (SQLite)", () => {
  let t: TestDb;
  let sims: Simulators;

  beforeAll(async () => {
    t = await sqliteDb();
    sims = await startSandbox(t.db, { config: { guanyi: { shops: SHOPS, vips: VIPS, trades: TRADES }, dingtalk: { approvals: APPROVALS } } });
  });
  afterAll(async () => {
    await sims?.close();
    await t?.drop();
  });

  async function run(name: QeasyScenario, patch?: (doc: FlowDoc) => void) {
    const { document, report } = await importQeasy(qeasyFixture(name));
    expect(report.filter((r) => r.level === "problem")).toEqual([]);
    patch?.(document);
    const flow = await importFlowDocument(t.db, document, { fallbackName: name, author: "test" });
    const runId = await createRun(t.db, { flowId: flow.id, options: { sandbox: true } });
    const summary = await executeRun(t.db, runId);
    const failures = await ledgerRows(t.db, { where: { flowId: flow.id, status: { in: ["failed", "invalid"] } }, take: 3 });
    expect(failures.map((f) => f.lastError)).toEqual([]);
    return { summary, flowId: flow.id };
  }

  it("seed 000: 管易云 shops → 金蝶 BD_Customer, one customer per shop", async () => {
    const { summary, flowId } = await run("guanyi-shop-customer");
    expect(summary.status, summary.error ?? "").toBe("succeeded");
    expect(summary.counts).toMatchObject({ read: SHOPS, written: SHOPS, failed: 0, invalid: 0 });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    const byNumber = new Map(docs.documents.map((d) => [String(d.FNumber), d]));
    for (const r of await ledgerRows(t.db, { where: { flowId } })) {
      const src = r.sourcePayload as { code: string; name: string };
      expect(byNumber.get(src.code)?.FName).toBe(src.name);
    }
    // idCheck: a second run writes nothing
    const again = await executeRun(t.db, await createRun(t.db, { flowId, options: { sandbox: true } }));
    expect(again.counts).toMatchObject({ read: SHOPS, skipped: SHOPS, written: 0 });
  });

  it("seed 004: 钉钉 备用金 approvals → 金蝶 ER_ExpenseRequest (借款), only COMPLETED + agree, entry rows from the form table", async () => {
    const st = (await (await fetch(`${sims.dingtalk.url}/__sandbox/state`)).json()) as { processCodes: { process_code: string; completedAgree: number }[] };
    const approved = st.processCodes.find((p) => p.process_code === PETTY)!.completedAgree;
    expect(approved).toBeGreaterThan(10);
    const { summary, flowId } = await run("dingtalk-pettycash-expense", (d) => {
      d.settings.incremental.initialLookbackSec = 95 * DAY; // test-only: cover the seeded 90 days (+ the config's own 1-day look-back)
    });
    expect(summary.status, summary.error ?? "").toBe("succeeded");
    expect(summary.counts.written).toBe(approved);
    expect(summary.counts.read).toBe(summary.counts.written + summary.counts.filtered);
    const docs = await kingdeeDocuments(sims.kingdee.url, "ER_ExpenseRequest");
    expect(docs.count).toBe(approved);
    expect(docs.duplicates).toBe(0);
    const byBill = new Map(docs.documents.map((d) => [String(d.FBillNo), d]));
    for (const r of await ledgerRows(t.db, { where: { flowId } })) {
      const src = r.sourcePayload as { business_id: string; status: string; result: string };
      expect([src.status, src.result]).toEqual(["COMPLETED", "agree"]);
      const doc = byBill.get(`BYJ${src.business_id}`) as Record<string, unknown> | undefined;
      expect(doc?.FIsBorrow).toBe(true);
      expect(Array.isArray(doc?.FEntity) && (doc?.FEntity as unknown[]).length).toBeGreaterThan(0);
      const mapped = r.mappedPayload as { FDeptID: { FNumber: string }; FStaffID: { FStaffNumber: string } };
      expect(mapped.FDeptID.FNumber).toMatch(/^BM00\d$/); // _function CASE
      expect(mapped.FStaffID.FStaffNumber).toMatch(/^YG/); // _function REPLACE
    }
  });

  it("seed 004 (department part): 钉钉 approvals → 金蝶 BD_Department; the first approval of each department creates it, later ones hit Kingdee's unique-number check", async () => {
    const { document } = await importQeasy(qeasyFixture("dingtalk-department"));
    document.settings.incremental.initialLookbackSec = 95 * DAY; // test-only, as above
    const flow = await importFlowDocument(t.db, document, { fallbackName: "dingtalk-department", author: "test" });
    const s = await executeRun(t.db, await createRun(t.db, { flowId: flow.id, options: { sandbox: true } }));
    const ledger = await ledgerRows(t.db, { where: { flowId: flow.id } });
    const depts = new Set(ledger.map((r) => (r.sourcePayload as { originator_dept_id: string }).originator_dept_id));
    const docs = (await kingdeeDocuments(sims.kingdee.url, "BD_Department")).documents.filter((d) => String(d.FNumber).startsWith("DD"));
    expect(docs.map((d) => d.FNumber).sort()).toEqual([...depts].map((d) => `DD${d}`).sort());
    expect(docs.find((d) => d.FNumber === "DD560101")?.FName).toBe("财务部");
    expect(s.counts.written).toBe(depts.size);
    expect(s.counts.failed).toBe(ledger.length - depts.size);
    const failed = ledger.filter((r) => r.status === "failed");
    expect(failed.every((r) => /唯一性验证未通过|已经存在/.test(r.lastError ?? ""))).toBe(true);
  });

  it("splitArray + every condition family: 管易云 vips → 金蝶 BD_Customer", async () => {
    const { summary } = await run("guanyi-vip-splitarray", (d) => {
      d.settings.incremental.initialLookbackSec = 400 * DAY; // test-only: vips are seeded over a year
    });
    expect(summary.status, summary.error ?? "").toBe("succeeded");
    expect(summary.counts.read).toBe(VIPS); // one receive_info per vip
    expect(summary.counts.written + summary.counts.filtered).toBe(VIPS);
    expect(summary.counts.written).toBeGreaterThan(0);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    const vipDocs = docs.documents.filter((d) => /^V\d{7}-1$/.test(String(d.FNumber)));
    expect(vipDocs).toHaveLength(summary.counts.written);
    expect(vipDocs.every((d) => typeof d.FTEL === "string" && /^1\d{10}$/.test(d.FTEL as string))).toBe(true);
    expect(vipDocs.every((d) => /(先生|女士)$/.test(String(d.FShortName)))).toBe(true);
  });

  it("beatFlat (in otherRequest): 管易云 trade lines → 金蝶 BD_Supplier, one document per detail row, ids suffixed -1, -2 …", async () => {
    const { summary, flowId } = await run("guanyi-trade-lines-supplier", (d) => {
      d.settings.incremental.initialLookbackSec = 400 * DAY; // test-only: trades are seeded over a year
    });
    expect(summary.status, summary.error ?? "").toBe("succeeded");
    const ledger = await ledgerRows(t.db, { where: { flowId } });
    expect(ledger.length).toBeGreaterThan(TRADES); // more lines than trades
    expect(ledger.every((r) => /^SO\d{8}-[1-4]$/.test(r.sourceId))).toBe(true);
    expect(summary.counts.written).toBe(ledger.filter((r) => !(r.sourcePayload as { cancle: boolean }).cancle).length);
    const docs = (await kingdeeDocuments(sims.kingdee.url, "BD_Supplier")).documents.filter((d) => String(d.FNumber).startsWith("SO"));
    expect(docs).toHaveLength(summary.counts.written);
    const one = ledger.find((r) => r.status === "written")!;
    const src = one.sourcePayload as { details_item_name: string; details_item_code: string };
    const doc = docs.find((d) => d.FNumber === one.sourceId)!;
    expect([doc.FName, doc.FShortName]).toEqual([src.details_item_name, src.details_item_code]);
    expect(String(doc.FDescription)).toMatch(/ \d+ x [\d.]+ = [\d.]+$/);
  });

  it("Kingdee ExecuteBillQuery source (BD_Department) → 金蝶 BD_Supplier, with a mapping file", async () => {
    const { summary } = await run("kingdee-dept-supplier");
    expect(summary.status, summary.error ?? "").toBe("succeeded");
    expect(summary.counts).toMatchObject({ read: 8, written: 8 });
    const docs = { documents: (await kingdeeDocuments(sims.kingdee.url, "BD_Supplier")).documents.filter((d) => String(d.FNumber).startsWith("GYS-")) };
    expect(docs.documents.map((d) => d.FNumber).sort()).toEqual(["BM001", "BM002", "BM003", "BM004", "BM005", "BM006", "BM007", "BM008"].map((n) => `GYS-${n}`));
    expect(docs.documents.find((d) => d.FNumber === "GYS-BM001")?.FDescription).toBe("由金蝶部门 数桥集团/财务部（BM001）生成");
  });
});

describe("through the CLI: import-qeasy, then run --sandbox --json", () => {
  let sims: Simulators;
  let dir: string;
  beforeAll(async () => {
    sims = await startSandbox(null, { config: { guanyi: { shops: 30 } } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-qeasy-cli-"));
  });
  afterAll(async () => {
    await sims?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("seed 000 via the command line writes every shop as a customer", async () => {
    const env = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "shuqiao.db")}`,
      SHUQIAO_SECRET_KEY: "33".repeat(32),
      SHUQIAO_SIM_GUANYI_PORT: String(sims.guanyi.port),
      SHUQIAO_SIM_DINGTALK_PORT: String(sims.dingtalk.port),
      SHUQIAO_SIM_KINGDEE_PORT: String(sims.kingdee.port),
      NO_COLOR: "1",
    };
    // async spawn: the simulators live in this process and must keep answering while the CLI runs
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; last: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += String(d)));
        child.stderr.on("data", (d) => (stderr += String(d)));
        child.on("exit", (code) => {
          const lines = stdout.trim().split("\n");
          resolve({ code, last: lines[lines.length - 1], stderr });
        });
      });
    const fx = path.join(QEASY_FIXTURES_DIR, "guanyi-shop-customer");
    const out = path.join(dir, "flow.json");
    const imp = await cli("import-qeasy", "--source", path.join(fx, "source.json"), "--target", path.join(fx, "target.json"), "--out", out, "--json");
    expect(imp.code, imp.stderr).toBe(0);
    const imported = JSON.parse(imp.last) as { ok: boolean; out: string; counts: Record<string, number> };
    expect(imported).toMatchObject({ ok: true, out });
    expect(imported.counts.problem ?? 0).toBe(0);
    const ran = await cli("run", out, "--sandbox", "--json");
    expect(ran.code, `${ran.last}\n${ran.stderr}`).toBe(0);
    expect(JSON.parse(ran.last)).toMatchObject({ status: "succeeded", counts: { read: 30, written: 30 } });
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(30);

    // bad input: exit 2 with the path
    const badSrc = path.join(dir, "bad.json");
    fs.writeFileSync(badSrc, JSON.stringify({ api: "gy.erp.shop.get", request: [{ label: "无字段名" }] }));
    const bad = await cli("import-qeasy", "--source", badSrc, "--target", path.join(fx, "target.json"), "--json");
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.last).issues).toEqual([expect.objectContaining({ path: "source.request.0.field" })]);
  }, 240_000);
});
