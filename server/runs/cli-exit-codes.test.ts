/**
 * The CLI's exit code follows the run's status: 0 succeeded, 3 partial (finished, some records not
 * written), 1 when the scheme is already running elsewhere (CONFLICT, no run recorded); a queued run
 * nobody claimed is executed rather than refused. The CLI runs
 * in a child process against the simulators, which run here.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/server/db";
import type { Simulators } from "@/server/testing/simulators";
import { readExample, simConfig, startSandbox } from "./test-helpers";

const ROOT = path.resolve(__dirname, "../..");

describe("cli exit codes", () => {
  let sims: Simulators;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let flowFile: string;
  // asynchronous: the simulators answer from this process while the CLI runs
  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; last: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += String(d)));
      child.stderr.on("data", (d) => (stderr += String(d)));
      child.on("exit", (code) => resolve({ code, stdout, stderr, last: stdout.trim().split("\n").pop() ?? "" }));
    });

  beforeAll(async () => {
    sims = await startSandbox(null, { config: { guanyi: { shops: 120 } } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-exit-"));
    env = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "shuqiao.db")}`,
      SHUQIAO_SECRET_KEY: "55".repeat(32),
      SHUQIAO_SIM_GUANYI_PORT: String(sims.guanyi.port),
      SHUQIAO_SIM_DINGTALK_PORT: String(sims.dingtalk.port),
      SHUQIAO_SIM_KINGDEE_PORT: String(sims.kingdee.port),
      NO_COLOR: "1",
    };
    flowFile = path.join(dir, "flow.json");
    fs.writeFileSync(flowFile, JSON.stringify(readExample("guanyi-shops-to-kingdee-customers.json")));
  });
  afterAll(async () => {
    await sims?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("partial → 3, then succeeded → 0, and a scheme running elsewhere → 1 without a new run", async () => {
    await simConfig(sims.kingdee.url, { rowFailureRate: 0.2, seed: 7 });
    const partial = await cli("run", flowFile, "--sandbox", "--json");
    const p = JSON.parse(partial.last) as { status: string; runId: string; counts: { written: number; failed: number } };
    expect(p.status).toBe("partial");
    expect(p.counts.written).toBeGreaterThan(0);
    expect(p.counts.failed).toBeGreaterThan(0);
    expect(partial.code).toBe(3);

    await simConfig(sims.kingdee.url, { rowFailureRate: 0 });
    const ok = await cli("rerun", p.runId, "--failed-only", "--json");
    expect(JSON.parse(ok.last).status).toBe("succeeded");
    expect(ok.code).toBe(0);

    // a live run of the scheme elsewhere (another host, fresh heartbeat)
    const db = createDb(env.DATABASE_URL as string);
    try {
      const run = await db.run.findUniqueOrThrow({ where: { id: p.runId } });
      const live = await db.run.create({ data: { flowId: run.flowId, flowVersionId: run.flowVersionId, trigger: "manual", status: "running", workerId: "other-host:1", heartbeatAt: new Date(), startedAt: new Date() } });
      const before = await db.run.count();
      const busy = await cli("run", run.flowId, "--sandbox", "--json");
      expect(busy.code).toBe(1);
      expect(JSON.parse(busy.last).error).toContain(`该方案正在运行（运行 #${live.id}）`);
      expect(await db.run.count()).toBe(before);

      // queued, claimed by nobody (e.g. its creator died before starting it): the CLI executes that run
      await db.run.update({ where: { id: live.id }, data: { status: "queued", workerId: null, heartbeatAt: null, startedAt: null } });
      const queued = await cli("run", run.flowId, "--sandbox", "--json");
      expect(queued.code).toBe(0);
      expect(JSON.parse(queued.last)).toMatchObject({ runId: live.id, status: "succeeded" });
      expect(await db.run.count()).toBe(before);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);
});
