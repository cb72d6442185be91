/**
 * Crash safety, for real: the CLI runs a flow in a child process, is killed with SIGKILL half-way, and
 * run again; the interrupted run resumes from its checkpoint and the result is still "every source
 * record written exactly once" at the Kingdee simulator (which runs here, in the test process).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/server/db";
import type { Simulators } from "@/server/testing/simulators";
import { kingdeeDocuments, readExample, simConfig, startSandbox } from "./test-helpers";

const ROOT = path.resolve(__dirname, "../..");
const SHOPS = 400;

function cli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += String(d)));
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe("a run killed with SIGKILL resumes and still writes every record exactly once", () => {
  let sims: Simulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let flowFile: string;

  beforeAll(async () => {
    sims = await startSandbox(null, { config: { guanyi: { shops: SHOPS } } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-kill-"));
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
    // slow writes, so the kill lands while batches are in flight
    await simConfig(sims.kingdee.url, { latencyMs: 60 });
  });
  afterAll(async () => {
    await sims?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("kill mid-way, run again: resumed, complete, no duplicates", async () => {
    const first = cli(["run", flowFile, "--sandbox", "--json"], env);
    // wait until some pages are written, then kill
    const deadline = Date.now() + 60_000;
    for (;;) {
      const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
      if (docs.count >= 100) break;
      if (Date.now() > deadline) throw new Error("the first run made no progress");
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const mid = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
    expect(mid.count).toBeLessThan(SHOPS);

    let db = createDb(env.DATABASE_URL as string);
    try {
      const interrupted = await db.run.findFirst({ orderBy: { createdAt: "desc" } });
      expect(interrupted?.status).toBe("running");
      expect(interrupted?.pages).toBeGreaterThan(0);
      const uncertain = await db.syncIntent.count({ where: { open: true } }); // batches sent (or about to be) with no stored outcome
      await db.$disconnect();

      const second = cli(["run", flowFile, "--sandbox", "--json"], env);
      const res = await second.done;
      expect(res.stderr + res.stdout).toContain("被中断");
      expect(res.code).toBe(0);
      const summary = JSON.parse(res.stdout.trim().split("\n").pop() as string) as { runId: string; status: string; counts: Record<string, number> };
      expect(summary.runId).toBe(interrupted?.id);
      expect(summary.status).toBe("succeeded");
      db = createDb(env.DATABASE_URL as string);

      const docs = await kingdeeDocuments(sims.kingdee.url, "BD_Customer");
      expect(docs.count).toBe(SHOPS);
      expect(docs.duplicates).toBe(0);
      expect(docs.createdMoreThanOnce).toBe(0);
      const ledger = await db.syncRecord.groupBy({ by: ["status"], _count: true });
      expect(ledger).toEqual([{ status: "written", _count: SHOPS }]);
      expect(await db.syncIntent.count({ where: { open: true } })).toBe(0);
      const events = await db.runEvent.findMany({ where: { runId: summary.runId }, orderBy: { seq: "asc" }, select: { seq: true, type: true } });
      expect(events.some((e) => e.type === "run.resumed")).toBe(true);
      if (uncertain > 0) expect(events.some((e) => e.type === "uncertain.settled")).toBe(true);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      // counts are exact across the crash
      expect(summary.counts.read).toBe(SHOPS);
      expect(summary.counts.written).toBe(SHOPS);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);
});
