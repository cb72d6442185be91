/**
 * The command line: run a flow file or a saved flow, validate a flow file, rerun, list runs, start the
 * sandbox.
 *
 * Why this exists: integrators script and debug schemes without the browser, and CI proves the engine
 * end to end with it. It uses the app's configuration (DATA_DIR, DATABASE_URL via server/env.ts) and
 * applies migrations first, so its runs, ledger and watermarks are the app's own.
 *
 *   npm run cli -- run <flow.json | flowId> [--sandbox] [--json]
 *   npm run cli -- validate <flow.json> [--json]
 *   npm run cli -- export-qeasy <flow.json | flowId> --out-dir D [--version N] [--json]
 *   npm run cli -- rerun <runId> [--failed-only | --record <sourceId> …] [--current-version] [--json]
 *   npm run cli -- runs [--flow <flowId>] [--json]
 *   npm run cli -- sandbox [--json]
 *   npm run cli -- users add --email E --role admin|editor|viewer --password-stdin [--name N] | users list | users disable E
 *
 * Exit codes follow the run's status (exitCodeOf): 0 succeeded, 1 failed (or cancelled, or the scheme
 * is already running elsewhere), 2 bad input (file, JSON, schema, unknown id), 3 partial (finished,
 * but some records were not written: failed or invalid), 130 / 143 stopped by Ctrl-C / SIGTERM (the
 * run is suspended and the next `run` of the scheme resumes it).
 * With --json the result is one JSON line, the last line on stdout.
 *
 * Ctrl-C / SIGTERM during a run: the run stops reading, finishes the batches in flight and is
 * suspended (status queued, checkpoint kept) within STOP_DEADLINE_MS; a second signal, or the
 * deadline, exits at once (the write-ahead intents make that safe: the resume settles them first).
 */
import fs from "node:fs";
import path from "node:path";
import { secureDir } from "@/server/data-files";
import { createDb, type Db, tuneDb } from "@/server/db";
import { env } from "@/server/env";
import { compileFlow, type CompileProblem } from "@/server/flows/compile";
import { importFlowDocument } from "@/server/flows/store";
import { importQeasyCommand } from "@/server/flows/qeasy-cli";
import { exportFlowDocument, exportSavedFlow, type QeasyExportResult } from "@/server/flows/qeasy-export";
import { DomainError } from "@/server/errors";
import { usersCommand } from "@/server/auth/users-cli";
import { connectionInfo, ensureSandboxConnections, SANDBOX_NAMES, type SimulatorSet } from "@/server/runs/connections";
import { boundHeapGrowth } from "@/server/runs/heap";
import { logBus } from "@/server/runs/log-bus";
import { createRerun, executeRun, RunConflictError, type RunStatus, type RunSummary, startRun, suspendLocalRuns } from "@/server/runs/service";
import { deploy } from "@/scripts/prisma";

class UsageError extends Error {}

/**
 * CHOICE: partial gets its own code, 3 — "finished, but some records did not make it" — so a script
 * can tell it from a run that wrote nothing (1) and from bad input (2). A suspended run (queued again
 * after Ctrl-C / SIGTERM) exits 128 + the signal's number, as shells do.
 */
function exitCodeOf(status: RunStatus, signal?: NodeJS.Signals): number {
  switch (status) {
    case "succeeded":
      return 0;
    case "partial":
      return 3;
    case "queued":
    case "running":
      return signal === "SIGINT" ? 130 : 143;
    default:
      return 1; // failed, cancelled
  }
}

/** How long Ctrl-C / SIGTERM may take to suspend a run before the CLI exits anyway. */
const STOP_DEADLINE_MS = 15_000;

/** The signal that asked this process to stop, if one did. */
let stopSignal: NodeJS.Signals | undefined;

interface Args {
  cmd: string;
  positional: string[];
  flags: Map<string, string[]>;
}

function parseArgs(argv: string[]): Args {
  const [cmd = "help", ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const valued = new Set(["--flow", "--record", "--out-dir", "--version"]);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith("--")) {
      const [k, inline] = a.split("=", 2);
      const v = inline ?? (valued.has(k) ? rest[++i] : "true");
      if (v === undefined) throw new UsageError(`${k} 需要一个值 (${k} needs a value)`);
      flags.set(k, [...(flags.get(k) ?? []), v]);
    } else positional.push(a);
  }
  return { cmd, positional, flags };
}

const USAGE = `数桥 Shuqiao CLI
  run <flow.json | flowId> [--sandbox] [--json]      运行方案 (run a scheme to completion)
  validate <flow.json> [--json]                      检查方案文件 (check a flow file)
  rerun <runId> [--failed-only | --record <id>…] [--current-version] [--json]
  runs [--flow <flowId>] [--json]                    运行记录 (list runs)
  sandbox [--json]                                   启动沙箱模拟器 (start the simulators and wait)
  import-qeasy --source S.json --target T.json [--mapping M.json] [--out flow.json] [--json]
                                                     导入轻易云方案 (import a Qeasy source + target config)
  export-qeasy <flow.json | flowId> --out-dir D [--version N] [--json]
                                                     导出为轻易云配置 (write D/source.json, D/target.json, D/report.json)
  users add --email E --role admin|editor|viewer --password-stdin [--name N] [--json]
  users list [--json] · users disable <email> [--json]  用户管理 (manage users; audited as "cli")`;

let jsonMode = false;
const isTty = process.stderr.isTTY === true;

function out(result: unknown, human: string): void {
  if (jsonMode) process.stdout.write(JSON.stringify(result) + "\n");
  else process.stdout.write(human + "\n");
}

function fail(code: number, message: string, extra: Record<string, unknown> = {}): never {
  if (jsonMode) process.stdout.write(JSON.stringify({ ok: false, error: message, ...extra }) + "\n");
  else process.stderr.write(message + "\n");
  process.exit(code);
}

/** Whether every migration shipped in prisma/<provider>/migrations is applied (then `deploy` is skipped). */
async function migrationsApplied(db: Db, provider: "sqlite" | "postgres"): Promise<boolean> {
  const dir = path.resolve(__dirname, "..", "prisma", provider, "migrations");
  const shipped = fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql"))) : [];
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`);
    const applied = new Set(rows.map((r) => r.migration_name));
    return shipped.every((m) => applied.has(m));
  } catch {
    return false;
  }
}

/** The app's database, migrated (`deploy` runs only when a migration is missing: it is slow and locks SQLite). */
async function openDb(): Promise<Db> {
  const e = env();
  secureDir(e.dataDir);
  let db = createDb(e.databaseUrl);
  if (!(await migrationsApplied(db, e.provider))) {
    await db.$disconnect();
    deploy(e.databaseUrl);
    db = createDb(e.databaseUrl);
  }
  await tuneDb(db, e.databaseUrl);
  return db;
}

/** Reads and parses a flow file; exits 2 with file, position and problem when it cannot. */
function readFlowFile(file: string): { raw: unknown; name: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return fail(2, `${file}: 无法读取文件 (cannot read file): ${(e as Error).message}`, { file });
  }
  try {
    return { raw: JSON.parse(text), name: path.basename(file).replace(/\.json$/i, "") };
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const at = m ? Number(m[1]) : jsonErrorOffset(text);
    let where = "";
    if (at >= 0) {
      const pos = at;
      const before = text.slice(0, pos);
      const line = before.split("\n").length;
      const col = pos - before.lastIndexOf("\n");
      where = `:${line}:${col}`;
    }
    return fail(2, `${file}${where}: JSON 格式错误 (invalid JSON): ${msg}`, { file });
  }
}

/** Offset of the first JSON syntax error (Node 20's messages do not always say), or -1. */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
      if (!m) fail();
      else i += m[0].length;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === "number" ? at : -1;
  }
}

function problemsText(file: string, problems: CompileProblem[]): string {
  return problems.map((p) => `${file}: ${p.path}${p.nodeId ? ` [${p.nodeId}]` : ""}: ${p.message}`).join("\n");
}

async function compileOrExit(db: Db | null, file: string, raw: unknown, sandbox: boolean) {
  // the compiler reports every problem of every layer (schema, graph, mapping, connections) at once
  const sandboxNames = new Set(Object.values(SANDBOX_NAMES));
  const res = await compileFlow(raw, {
    resolveConnection: async (id) => {
      if (sandbox || sandboxNames.has(id)) {
        const vendor = Object.entries(SANDBOX_NAMES).find(([, n]) => n === id)?.[0];
        return { vendor: vendor ?? "" };
      }
      return db ? connectionInfo(db, id) : undefined;
    },
  });
  if (!res.ok) fail(2, problemsText(file, res.problems), { file, problems: res.problems });
  return res;
}

// ---- simulators ---------------------------------------------------------------------------------

interface RunningSims {
  set: SimulatorSet;
  close(): Promise<void>;
  started: boolean;
}

async function probe(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/__sandbox/state`, { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch {
    return false;
  }
}

/** Uses simulators already listening on the configured ports, else starts them in this process. */
async function ensureSimulators(): Promise<RunningSims> {
  const e = env();
  const urls = {
    guanyi: `http://127.0.0.1:${e.SHUQIAO_SIM_GUANYI_PORT}`,
    dingtalk: `http://127.0.0.1:${e.SHUQIAO_SIM_DINGTALK_PORT}`,
    kingdee: `http://127.0.0.1:${e.SHUQIAO_SIM_KINGDEE_PORT}`,
  };
  const sims = await import("@/server/testing/simulators");
  const up = await Promise.all([probe(urls.guanyi), probe(urls.dingtalk), probe(urls.kingdee)]);
  if (up.every(Boolean)) {
    return {
      started: false,
      set: {
        guanyi: { url: urls.guanyi, credentials: { ...sims.GUANYI_CREDENTIALS } },
        dingtalk: { url: urls.dingtalk, credentials: { ...sims.DINGTALK_CREDENTIALS } },
        kingdee: { url: urls.kingdee, credentials: { ...sims.KINGDEE_CREDENTIALS } },
      },
      close: async () => undefined,
    };
  }
  const running = await sims.startSimulators({
    host: "127.0.0.1",
    ports: { guanyi: e.SHUQIAO_SIM_GUANYI_PORT, dingtalk: e.SHUQIAO_SIM_DINGTALK_PORT, kingdee: e.SHUQIAO_SIM_KINGDEE_PORT },
  });
  return { started: true, set: running, close: () => running.close() };
}

// ---- commands -----------------------------------------------------------------------------------

function summaryLine(s: RunSummary): string {
  const c = s.counts;
  // a run the CLI hands back queued was suspended by Ctrl-C / SIGTERM
  const label = { queued: "已暂停", running: "运行中", succeeded: "成功", partial: "部分成功", failed: "失败", cancelled: "已取消" }[s.status];
  return (
    `运行 ${s.runId}：${label} (${s.status})  读取 ${c.read} · 过滤 ${c.filtered} · 无效 ${c.invalid} · 跳过 ${c.skipped} · 写入 ${c.written} · 失败 ${c.failed}  ` +
    `${(s.durationMs / 1000).toFixed(1)}s${s.error ? `\n${s.status === "queued" ? "说明" : "错误"}：${s.error}` : ""}`
  );
}

function summaryJson(s: RunSummary) {
  return { runId: s.runId, status: s.status, counts: s.counts, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) };
}

/** Prints progress lines on a TTY while a run executes. */
function followProgress(runId: string): () => void {
  if (!isTty || jsonMode) return () => undefined;
  return logBus().subscribe(runId, (e) => {
    if (e.type === "checkpoint" || e.level === "debug") return;
    const mark = e.level === "error" ? "✗" : e.level === "warn" ? "!" : "·";
    process.stderr.write(`${mark} [${e.seq}] ${e.message}\n`);
  });
}

/**
 * Executes a run; the first Ctrl-C / SIGTERM suspends it (see the header), a second one or the
 * deadline exits at once.
 */
async function execute(db: Db, runId: string): Promise<RunSummary> {
  const stop = followProgress(runId);
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopSignal) process.exit(exitCodeOf("queued", sig));
    stopSignal = sig;
    process.stderr.write(`\n收到 ${sig}：完成进行中的批次后暂停运行 ${runId}，下次运行该方案时继续（最多 ${STOP_DEADLINE_MS / 1000} 秒；再按一次立即退出）\n`);
    suspendLocalRuns();
    setTimeout(() => {
      process.stderr.write(`暂停超时，直接退出；未完成的批次将在下次运行时核对后继续 (stop deadline passed)\n`);
      process.exit(exitCodeOf("queued", sig));
    }, STOP_DEADLINE_MS).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await executeRun(db, runId);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stop();
  }
}

async function cmdRun(args: Args): Promise<number> {
  const target = args.positional[0];
  if (!target) throw new UsageError("run 需要一个方案文件或方案 ID (run needs a flow file or flow id)");
  const sandbox = args.flags.has("--sandbox");
  const isFile = fs.existsSync(target) || /\.json$/i.test(target);
  let db: Db | null = null;
  let sims: RunningSims | null = null;
  try {
    let flowId: string;
    if (isFile) {
      const { raw, name } = readFlowFile(target);
      db = await openDb();
      if (sandbox) {
        sims = await ensureSimulators();
        await ensureSandboxConnections(db, sims.set);
      }
      await compileOrExit(db, target, raw, sandbox);
      const imported = await importFlowDocument(db, raw, { fallbackName: name, author: "cli", message: `CLI 导入 ${path.basename(target)}` });
      flowId = imported.id;
      if (!jsonMode && imported.newVersion) process.stderr.write(`方案已${imported.created ? "创建" : "更新"}：${flowId} v${imported.version}\n`);
    } else {
      db = await openDb();
      const flow = await db.flow.findFirst({ where: { id: target, deletedAt: null } });
      if (!flow) fail(2, `方案 ${target} 不存在，也不是可读的文件 (no such flow id or file)`);
      flowId = flow.id;
      if (sandbox) {
        sims = await ensureSimulators();
        await ensureSandboxConnections(db, sims.set);
      }
    }
    // a new run, or the scheme's run that was interrupted (killed) or suspended (Ctrl-C / SIGTERM);
    // RunConflictError (exit 1) when a run of it is queued or executing elsewhere
    let runId: string;
    try {
      const started = await startRun(db, { flowId, trigger: "api", options: { sandbox } });
      runId = started.runId;
      if (started.resumed) process.stderr.write(`上次运行 ${runId} 被中断，从检查点继续 (resuming interrupted run ${runId})\n`);
    } catch (e) {
      // A queued run of the scheme that no process has claimed (a server's queue may hold it, or its
      // creator died before starting it): this command executes it. Claiming is atomic, so it runs once.
      if (!(e instanceof RunConflictError) || e.activeStatus !== "queued") throw e;
      runId = e.activeRunId;
      process.stderr.write(`方案已有排队中的运行 ${runId}，由本命令执行 (executing the scheme's queued run ${runId})\n`);
    }
    if (!jsonMode) process.stderr.write(`运行 ${runId} 开始…\n`);
    const summary = await execute(db, runId);
    out(summaryJson(summary), summaryLine(summary));
    return exitCodeOf(summary.status, stopSignal);
  } finally {
    await sims?.close();
    await db?.$disconnect();
  }
}

async function cmdValidate(args: Args): Promise<number> {
  const file = args.positional[0];
  if (!file) throw new UsageError("validate 需要一个方案文件 (validate needs a flow file)");
  const { raw } = readFlowFile(file);
  let db: Db | null = null;
  try {
    // Connections are checked when the app's database exists; validate never creates or migrates it.
    const e = env();
    const dbFile = e.databaseUrl.replace(/^file:/, "");
    if (e.provider === "postgres" || fs.existsSync(dbFile)) {
      const candidate = createDb(e.databaseUrl);
      if (await migrationsApplied(candidate, e.provider)) db = candidate;
      else await candidate.$disconnect();
    }
    const res = await compileOrExit(db, file, raw, args.flags.has("--sandbox"));
    const plan = res.ok ? res.plan : undefined;
    out(
      { ok: true, file, source: plan?.source.apiId, target: plan?.target.apiId, steps: plan?.steps.map((s) => s.kind) },
      `${file}: 检查通过 (ok) — ${plan?.source.apiId} → ${plan?.steps.map((s) => s.kind).join(" → ") || "映射"} → ${plan?.target.apiId}`,
    );
    return 0;
  } finally {
    await db?.$disconnect();
  }
}

/**
 * `export-qeasy`: a flow file or a saved scheme (current or --version N) → Qeasy source + target
 * metadata in --out-dir, with the report of what Qeasy cannot hold (also on stderr, one line each).
 * The files are what `import-qeasy --source D/source.json --target D/target.json` reads back.
 */
async function cmdExportQeasy(args: Args): Promise<number> {
  const what = args.positional[0];
  const outDir = args.flags.get("--out-dir")?.[0];
  if (!what || !outDir) throw new UsageError("export-qeasy 需要一个方案文件或方案 ID，以及 --out-dir (export-qeasy needs a flow file or id and --out-dir)");
  const versionFlag = args.flags.get("--version")?.[0];
  const version = versionFlag === undefined ? undefined : Number(versionFlag);
  if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new UsageError(`--version 必须是正整数 (--version must be a positive integer): ${versionFlag}`);
  let result: QeasyExportResult;
  let label: string;
  if (fs.existsSync(what) || /\.json$/i.test(what)) {
    const { raw } = readFlowFile(what);
    try {
      result = exportFlowDocument(raw, what);
    } catch (e) {
      if (e instanceof DomainError) fail(2, e.message, { file: what });
      throw e;
    }
    label = what;
  } else {
    const db = await openDb();
    try {
      const r = await exportSavedFlow(db, what, version);
      result = r;
      label = `${r.flowName} v${r.version}`;
    } catch (e) {
      if (e instanceof DomainError) fail(2, e.message, { flowId: what });
      throw e;
    } finally {
      await db.$disconnect();
    }
  }
  fs.mkdirSync(outDir, { recursive: true });
  const files = { source: path.join(outDir, "source.json"), target: path.join(outDir, "target.json"), report: path.join(outDir, "report.json") };
  fs.writeFileSync(files.source, JSON.stringify(result.source, null, 2) + "\n");
  fs.writeFileSync(files.target, JSON.stringify(result.target, null, 2) + "\n");
  fs.writeFileSync(files.report, JSON.stringify(result.report, null, 2) + "\n");
  if (!jsonMode) for (const r of result.report) process.stderr.write(`[${r.level}] ${r.path}: ${r.message}\n`);
  out({ ok: true, outDir, files, report: result.report }, `${label} → ${outDir}（source.json、target.json；${result.report.length} 条说明见 report.json）`);
  return 0;
}

async function cmdRerun(args: Args): Promise<number> {
  const parent = args.positional[0];
  if (!parent) throw new UsageError("rerun 需要一个运行 ID (rerun needs a run id)");
  const records = args.flags.get("--record") ?? [];
  const failedOnly = args.flags.has("--failed-only");
  if (failedOnly && records.length) throw new UsageError("--failed-only 与 --record 不能同时使用 (choose one)");
  const db = await openDb();
  let sims: RunningSims | null = null;
  try {
    const run = await db.run.findUnique({ where: { id: parent } });
    if (!run) fail(2, `运行 ${parent} 不存在 (no such run)`);
    if (((run.options ?? {}) as { sandbox?: boolean }).sandbox) {
      sims = await ensureSimulators();
      await ensureSandboxConnections(db, sims.set);
    }
    const runId = await createRerun(db, {
      runId: parent,
      mode: records.length ? "records" : failedOnly ? "failed_only" : "whole",
      useCurrentVersion: args.flags.has("--current-version"),
      sourceIds: records.length ? records : undefined,
    });
    if (!jsonMode) process.stderr.write(`重跑 ${runId}（来自 ${parent}）开始…\n`);
    const summary = await execute(db, runId);
    out({ ...summaryJson(summary), parentRunId: parent }, summaryLine(summary));
    return exitCodeOf(summary.status, stopSignal);
  } finally {
    await sims?.close();
    await db.$disconnect();
  }
}

async function cmdRuns(args: Args): Promise<number> {
  const flowId = args.flags.get("--flow")?.[0];
  const db = await openDb();
  try {
    const runs = await db.run.findMany({
      where: flowId ? { flowId } : {},
      orderBy: { createdAt: "desc" },
      take: 50,
      include: { flow: { select: { name: true } }, flowVersion: { select: { number: true } } },
    });
    const rows = runs.map((r) => ({
      runId: r.id,
      flowId: r.flowId,
      flow: r.flow.name,
      version: r.flowVersion.number,
      trigger: r.trigger,
      mode: r.mode,
      status: r.status,
      parentRunId: r.parentRunId,
      counts: { read: r.countRead, filtered: r.countFiltered, invalid: r.countInvalid, skipped: r.countSkipped, written: r.countWritten, failed: r.countFailed },
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    }));
    const human = rows.length
      ? rows
          .map((r) => `${r.createdAt}  ${r.runId}  ${r.status.padEnd(9)}  ${r.flow} v${r.version}  ${r.mode}  读${r.counts.read} 写${r.counts.written} 跳${r.counts.skipped} 败${r.counts.failed} 无效${r.counts.invalid}`)
          .join("\n")
      : "没有运行记录 (no runs)";
    out({ ok: true, runs: rows }, human);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

async function cmdSandbox(): Promise<number> {
  const db = await openDb();
  const sims = await ensureSimulators();
  await ensureSandboxConnections(db, sims.set);
  await db.$disconnect();
  out(
    { ok: true, started: sims.started, guanyi: sims.set.guanyi.url, dingtalk: sims.set.dingtalk.url, kingdee: sims.set.kingdee.url },
    `沙箱${sims.started ? "已启动" : "已在运行"}：管易云 ${sims.set.guanyi.url} · 钉钉 ${sims.set.dingtalk.url} · 金蝶 ${sims.set.kingdee.url}/k3cloud/\n按 Ctrl+C 退出`,
  );
  if (!sims.started) return 0;
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sims.close();
  return 0;
}

async function main(): Promise<void> {
  boundHeapGrowth();
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    fail(2, `${(e as Error).message}\n${USAGE}`);
  }
  jsonMode = args.flags.has("--json");
  let code: number;
  try {
    switch (args.cmd) {
      case "run":
        code = await cmdRun(args);
        break;
      case "validate":
        code = await cmdValidate(args);
        break;
      case "rerun":
        code = await cmdRerun(args);
        break;
      case "runs":
        code = await cmdRuns(args);
        break;
      case "sandbox":
        code = await cmdSandbox();
        break;
      case "import-qeasy":
        code = await importQeasyCommand(process.argv.slice(3));
        break;
      case "export-qeasy":
        code = await cmdExportQeasy(args);
        break;
      case "users":
        code = await usersCommand(process.argv.slice(3), openDb);
        break;
      case "help":
      case "--help":
        process.stdout.write(USAGE + "\n");
        code = 0;
        break;
      default:
        throw new UsageError(`未知命令 ${args.cmd} (unknown command)`);
    }
  } catch (e) {
    if (e instanceof UsageError) fail(2, `${e.message}\n${USAGE}`);
    fail(1, `错误 (error): ${e instanceof Error ? e.message : String(e)}`);
  }
  process.exit(code);
}

void main();
