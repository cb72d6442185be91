/**
 * One measured workload, in a fresh process (so peak RSS is this workload's own):
 *   tsx worker.ts engine <urls-json> <records>   full engine: SQLite ledger, checkpoints, events
 *   tsx worker.ts bare   <urls-json> <records>   hand-written loop: same connector calls and signing,
 *                                                no ledger, no persistence, no overlap: fetch a page,
 *                                                map it, save it, repeat
 *   tsx worker.ts bare-ahead …                   the same loop on the reader's default one-page
 *                                                read-ahead (the next page is fetched during the save)
 * Prints one JSON line {mode, records, written, ms, rps, cpuMs, runCpuMs, heapMaxMB, peakRssMB, rssSamplesMB}:
 * `cpuMs` is the process's CPU (all threads, start-up included); `runCpuMs` splits the CPU spent
 * during the workload itself into the main thread and the process's other threads (V8's GC and
 * compiler helpers, the ledger thread when on) — what the two cores were busy with.
 * BENCH_HEAP_PROFILE=<file>: a sampling heap profile of the run (allocations, collected ones too).
 *
 * Why this exists: the engine's overhead is only meaningful against the ceiling of the same HTTP
 * work done with nothing else.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSourceReader, createTargetWriter } from "../../connectors";
import type { ConnectionConfig } from "../../connectors/types";
import { GUANYI_CREDENTIALS, KINGDEE_CREDENTIALS } from "../../testing/simulators";

type Urls = { guanyi: string; dingtalk: string; kingdee: string };

const [mode, urlsJson, recordsArg] = process.argv.slice(2);
const urls = JSON.parse(urlsJson) as Urls;
const records = Number(recordsArg);

const samples: number[] = [];
let heapMax = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  samples.push(m.rss);
  heapMax = Math.max(heapMax, m.heapTotal);
}, 250);
sampler.unref();

/** CPU ms per thread of this process so far (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of fs.readdirSync("/proc/self/task")) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(f[11]) + Number(f[12])) * (1000 / 100)); // utime + stime, in clock ticks of 10 ms
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}

let cpuAtStart = new Map<string, number>();
let heapProfile: { stop(): Promise<void> } | undefined;

/** Marks the start of the measured workload (after start-up and set-up). */
async function started(): Promise<void> {
  cpuAtStart = threadCpu();
  const file = process.env.BENCH_HEAP_PROFILE;
  if (!file) return;
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post("HeapProfiler.enable");
  await post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  heapProfile = {
    async stop() {
      const r = (await post("HeapProfiler.stopSampling")) as { profile: unknown };
      fs.writeFileSync(file, JSON.stringify(r.profile));
    },
  };
}

async function report(written: number, ms: number): Promise<void> {
  clearInterval(sampler);
  await heapProfile?.stop();
  const usage = process.resourceUsage();
  const peakRssMB = Math.round(usage.maxRSS / 1024);
  // CPU of this process (all threads): against `ms`, how busy the workload kept its process
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  let main = 0;
  let others = 0;
  for (const [tid, v] of threadCpu()) {
    const d = v - (cpuAtStart.get(tid) ?? 0);
    if (tid === String(process.pid)) main += d;
    else others += d;
  }
  const pick = (f: number) => Math.round((samples[Math.min(samples.length - 1, Math.floor(samples.length * f))] ?? 0) / 1048576);
  process.stdout.write(
    JSON.stringify({
      mode,
      records,
      written,
      ms,
      rps: Math.round((written / ms) * 1000),
      cpuMs,
      runCpuMs: { main, otherThreads: others },
      heapMaxMB: Math.round(heapMax / 1048576),
      peakRssMB,
      rssSamplesMB: [pick(0.1), pick(0.5), pick(0.9)],
    }) + "\n",
  );
}

async function bare(): Promise<void> {
  const gy: ConnectionConfig = { vendor: "guanyi", baseUrl: urls.guanyi, sandbox: true, settings: { appkey: GUANYI_CREDENTIALS.appkey }, secrets: { sessionkey: GUANYI_CREDENTIALS.sessionkey, secret: GUANYI_CREDENTIALS.secret } };
  const kd: ConnectionConfig = {
    vendor: "kingdee",
    baseUrl: `${urls.kingdee}/k3cloud/`,
    sandbox: true,
    settings: { acctId: KINGDEE_CREDENTIALS.acctId, username: KINGDEE_CREDENTIALS.username, appId: KINGDEE_CREDENTIALS.appId, lcid: KINGDEE_CREDENTIALS.lcid, orgNum: KINGDEE_CREDENTIALS.orgNum },
    secrets: { appSecret: KINGDEE_CREDENTIALS.appSecret, password: KINGDEE_CREDENTIALS.password },
  };
  const reader = createSourceReader(gy, "guanyi.gy.erp.shop.get", { pageSize: 100 });
  const writer = createTargetWriter(kd, "kingdee.BatchSave", { formId: "BD_Customer", batchSize: 100, IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: true });
  await started();
  const t0 = performance.now();
  let written = 0;
  // "fetch a page, map it, save it, repeat" (the bare loop): no read-ahead, unless bare-ahead
  for await (const page of reader.read({ params: {}, pagesInFlight: mode === "bare-ahead" ? 1 : 0 })) {
    const docs = page.records.map((r) => ({
      FName: r.name,
      FNumber: r.code,
      FCreateOrgId: { FNumber: "100" },
      FUseOrgId: { FNumber: "100" },
      FDescription: r.note,
    }));
    const out = await writer.writeBatch(docs);
    written += out.filter((o) => o.status === "written").length;
  }
  await report(written, Math.round(performance.now() - t0));
}

async function engine(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-bench-"));
  process.env.DATA_DIR = dir;
  process.env.DATABASE_URL = `file:${path.join(dir, "shuqiao.db")}`;
  process.env.SHUQIAO_SECRET_KEY = "44".repeat(32);
  const { deploy } = await import("../../../scripts/prisma");
  const { createDb, tuneDb } = await import("../../db");
  const { ensureSandboxConnections } = await import("../../runs/connections");
  const { importFlowDocument } = await import("../../flows/store");
  const { createRun, executeRun } = await import("../../runs/service");
  // as the CLI and the server runtime do before they run the engine
  (await import("../../runs/heap")).boundHeapGrowth();
  deploy(process.env.DATABASE_URL);
  const db = createDb(process.env.DATABASE_URL);
  await tuneDb(db, process.env.DATABASE_URL);
  await ensureSandboxConnections(db, {
    guanyi: { url: urls.guanyi, credentials: { ...GUANYI_CREDENTIALS } },
    dingtalk: { url: urls.dingtalk, credentials: {} },
    kingdee: { url: urls.kingdee, credentials: { ...KINGDEE_CREDENTIALS } },
  });
  const doc = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../examples/guanyi-shops-to-kingdee-customers.json"), "utf8"));
  // the shipped example, with the concurrency the benchmark asks for (default: the example's)
  if (process.env.BENCH_TARGET_CONCURRENCY) doc.settings.concurrency.target = Number(process.env.BENCH_TARGET_CONCURRENCY);
  if (process.env.BENCH_SOURCE_CONCURRENCY) doc.settings.concurrency.source = Number(process.env.BENCH_SOURCE_CONCURRENCY);
  const { id } = await importFlowDocument(db, doc, { fallbackName: "bench" });
  const runId = await createRun(db, { flowId: id, options: { sandbox: true } });
  await started();
  const s = await executeRun(db, runId);
  const ledger = await db.syncRecord.count({ where: { flowId: id, status: "written" } });
  if (ledger !== s.counts.written) throw new Error(`ledger ${ledger} ≠ written ${s.counts.written}`);
  await report(s.counts.written, s.durationMs);
  const timings = await db.run.findUnique({ where: { id: runId }, select: { stageTimings: true } });
  process.stderr.write(`stage timings: ${JSON.stringify(timings?.stageTimings)}\n`);
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}

(mode === "bare" || mode === "bare-ahead" ? bare() : engine()).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
