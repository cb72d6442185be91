/**
 * Graceful stop, for real: the CLI runs a scheme in a child process against slow simulators, gets
 * SIGTERM mid-run (some but not all records written), and exits within the 15 s bound with the run
 * suspended — `queued`, no owner, its in-flight batches finished and recorded (no open intents), an
 * event saying it continues on the next start — never left `running`. Run again, it resumes from its
 * checkpoint and every record is at the Kingdee simulator exactly once.
 *
 * The same for a server process: the runtime as `npm start` starts it (without the web layer, which
 * needs a production build) and the stop handlers `npm start` installs (server-process.fixture.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/server/db";
import type { Simulators } from "@/server/testing/simulators";
import { ensureSandboxConnections } from "./connections";
import { createRun } from "./service";
import { importExample, kingdeeDocuments, readExample, simConfig, simReset, sqliteDb, startSandbox } from "./test-helpers";

const ROOT = path.resolve(__dirname, "../..");
const SHOPS = 400;
const STOP_BOUND_MS = 15_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
function cli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += String(d)));
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const done = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

async function waitFor(cond: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("SIGTERM suspends a run; the next start resumes it; every record exactly once", () => {
  let sims: Simulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let flowFile: string;

  beforeAll(async () => {
    sims = await startSandbox(null, { config: { guanyi: { shops: SHOPS } } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-term-"));
    env = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "shuqiao.db")}`,
      SHUQIAO_SECRET_KEY: "22".repeat(32),
      SHUQIAO_SIM_GUANYI_PORT: String(sims.guanyi.port),
      SHUQIAO_SIM_DINGTALK_PORT: String(sims.dingtalk.port),
      SHUQIAO_SIM_KINGDEE_PORT: String(sims.kingdee.port),
      NO_COLOR: "1",
    };
    const doc = readExample("guanyi-shops-to-kingdee-customers.json");
    const nodes = doc.nodes as { type: string; data: Record<string, unknown> }[];
    nodes.find((n) => n.type === "source")!.data.pageSize = 20;
    nodes.find((n) => n.type === "target")!.data.batchSize = 10;
    flowFile = path.join(dir, "flow.json");
    fs.writeFileSync(flowFile, JSON.stringify(doc));
    // slow writes, so the signal lands while batches are in flight
    await simConfig(sims.kingdee.url, { latencyMs: 60 });
  });
  afterAll(async () => {
    await sims?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("CLI: SIGTERM mid-run, bounded exit, suspended (not running), resumed exactly once", async () => {
    const first = cli(["run", flowFile, "--sandbox", "--json"], env);
    await waitFor(async () => (await kingdeeDocuments(sims.kingdee.url, "BD_Customer")).count >= 100, "the first run to write 100 records");
    const signalled = Date.now();
    first.child.kill("SIGTERM");
    const stopped = await first.done;
    const stopMs = Date.now() - signalled;
    console.log(`[sigterm-resume] SIGTERM → exit in ${stopMs} ms`);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    expect(stopped.signal).toBeNull(); // it handled the signal and exited by itself
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toContain("收到 SIGTERM");
    const mid = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(mid.count).toBeGreaterThanOrEqual(100);
    expect(mid.count).toBeLessThan(SHOPS); // the signal landed mid-run
    const printed = JSON.parse(stopped.stdout.trim().split("\n").pop() as string) as { runId: string; status: string };
    expect(printed.status).toBe("queued");

    const db = createDb(env.DATABASE_URL as string);
    try {
      const run = await db.run.findUniqueOrThrow({ where: { id: printed.runId } });
      expect(run.status).toBe("queued"); // not "running" with no owner
      expect(run.workerId).toBeNull();
      expect(run.startedAt).not.toBeNull();
      expect(run.pages).toBeGreaterThan(0);
      // the batches in flight were finished and their outcomes stored: nothing is left in doubt, and
      // the ledger knows every document the target has
      expect(await db.syncIntent.count({ where: { open: true } })).toBe(0);
      expect(await db.syncRecord.count({ where: { status: "written" } })).toBe(mid.count);
      const suspended = await db.runEvent.findFirst({ where: { runId: run.id, type: "run.suspended" } });
      expect(suspended?.message).toMatch(/服务停止.*将在下次启动时.*继续/);
      expect(await db.runEvent.count({ where: { runId: run.id, type: "run.finished" } })).toBe(0);
    } finally {
      await db.$disconnect();
    }

    const second = await cli(["run", flowFile, "--sandbox", "--json"], env).done;
    expect(second.stderr).toContain("被中断");
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout.trim().split("\n").pop() as string) as { runId: string; status: string; counts: Record<string, number> };
    expect(summary.runId).toBe(printed.runId);
    expect(summary.status).toBe("succeeded");
    expect(summary.counts.written).toBe(SHOPS);
    const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(docs.count).toBe(SHOPS);
    expect(docs.duplicates).toBe(0);
    expect(docs.createdMoreThanOnce).toBe(0);
  }, 120_000);

  it("server process: SIGTERM mid-run, bounded exit, suspended; the next start resumes it exactly once", async () => {
    await simReset(sims.kingdee.url);
    await simConfig(sims.kingdee.url, { latencyMs: 60 });
    const t = await sqliteDb();
    try {
      await ensureSandboxConnections(t.db, sims);
      const flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json", (d) => {
        const nodes = d.nodes as { type: string; data: Record<string, unknown> }[];
        nodes.find((n) => n.type === "source")!.data.pageSize = 20;
        nodes.find((n) => n.type === "target")!.data.batchSize = 10;
      });
      // started from the browser a moment before: queued, picked up by the server's queue on start
      const runId = await createRun(t.db, { flowId, options: { sandbox: true } });
      const serverEnv = {
        ...env,
        DATABASE_URL: t.url,
        SHUQIAO_SIM_GUANYI_URL: sims.guanyi.url,
        SHUQIAO_SIM_DINGTALK_URL: sims.dingtalk.url,
        SHUQIAO_SIM_KINGDEE_URL: sims.kingdee.url,
        SHUQIAO_SECRET_KEY: process.env.SHUQIAO_SECRET_KEY,
      };
      const server = () => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "server-process.fixture.ts")], { cwd: ROOT, env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout?.on("data", (d) => (out += String(d)));
        child.stderr?.on("data", (d) => (out += String(d)));
        const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
        return { child, done, out: () => out };
      };

      const first = server();
      await waitFor(async () => (await kingdeeDocuments(sims.kingdee.url, "BD_Customer")).count >= 60, "the server to write 60 records");
      const signalled = Date.now();
      first.child.kill("SIGTERM");
      const stopped = await first.done;
      const stopMs = Date.now() - signalled;
      console.log(`[sigterm-resume] server SIGTERM → exit in ${stopMs} ms`);
      expect(stopMs).toBeLessThan(STOP_BOUND_MS);
      expect(stopped).toEqual({ code: 0, signal: null });
      expect(first.out()).toContain("收到 SIGTERM");
      const mid = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
      expect(mid.count).toBeLessThan(SHOPS); // the signal landed mid-run
      const row = await t.db.run.findUniqueOrThrow({ where: { id: runId } });
      expect([row.status, row.workerId]).toEqual(["queued", null]);
      expect(await t.db.syncIntent.count({ where: { open: true } })).toBe(0);
      expect(await t.db.syncRecord.count({ where: { flowId, status: "written" } })).toBe(mid.count);
      expect(await t.db.runEvent.count({ where: { runId, type: "run.suspended" } })).toBe(1);

      // the next start resumes it
      const second = server();
      await waitFor(async () => (await t.db.run.findUniqueOrThrow({ where: { id: runId } })).status === "succeeded", "the resumed run to finish");
      second.child.kill("SIGTERM");
      expect((await second.done).code).toBe(0);
      const done = await t.db.run.findUniqueOrThrow({ where: { id: runId } });
      expect(done.countWritten).toBe(SHOPS);
      const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
      expect([docs.count, docs.duplicates, docs.createdMoreThanOnce]).toEqual([SHOPS, 0, 0]);
      expect(await t.db.runEvent.count({ where: { runId, type: "run.resumed" } })).toBe(1);
      expect(await t.db.run.count({ where: { flowId } })).toBe(1);
    } finally {
      await t.drop();
    }
  }, 120_000);
});
