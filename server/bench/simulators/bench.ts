/**
 * Benchmark of the vendor simulators: they must never be the bottleneck of our own benchmarks.
 *
 * Why this exists: the engine's throughput benchmarks run against these servers, so we need to
 * know what one request costs here (a 100-shop page, a 20-id listids page, a 100-row BatchSave,
 * an indexed and a scanning ExecuteBillQuery) and how much memory a million saved customers take.
 *
 * Run: node --expose-gc --import tsx server/bench/simulators/bench.ts   (env ROUNDS=5 REQS=100 MILLION=1)
 * (`npx tsx …` works too, but tsx's child process has no gc(), so heap figures are rougher).
 * Client and servers share this process (one core for both), over real HTTP on 127.0.0.1 with
 * keep-alive; figures are medians over ROUNDS rounds of REQS sequential requests.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { cpus, loadavg } from "node:os";
import { startSimulators } from "../../testing/simulators";
import { buildSignedHeaders } from "../../testing/simulators/kingdee/auth";
import { Store } from "../../testing/simulators/kingdee/store";
import { FORMS } from "../../testing/simulators/kingdee/forms";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQS = Number(process.env.REQS ?? 100);
const MILLION = process.env.MILLION !== "0";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function measure(name: string, fn: (i: number) => Promise<void>): Promise<{ name: string; medianMs: number; p95Ms: number; rps: number; cpuMs: number }> {
  for (let i = 0; i < 10; i++) await fn(-1 - i); // warm-up
  const roundMedians: number[] = [];
  const roundP95: number[] = [];
  const roundRps: number[] = [];
  const roundCpu: number[] = [];
  let k = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const times: number[] = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < REQS; i++) {
      const s = performance.now();
      await fn(k++);
      times.push(performance.now() - s);
    }
    roundRps.push((REQS * 1000) / (performance.now() - t0));
    const c = process.cpuUsage(c0);
    roundCpu.push((c.user + c.system) / 1000 / REQS);
    roundMedians.push(median(times));
    roundP95.push(pct(times, 95));
  }
  const out = { name, medianMs: +median(roundMedians).toFixed(2), p95Ms: +median(roundP95).toFixed(2), rps: Math.round(median(roundRps)), cpuMs: +median(roundCpu).toFixed(2) };
  console.log(
    `${name.padEnd(62)} median ${out.medianMs.toFixed(2).padStart(7)} ms  p95 ${out.p95Ms.toFixed(2).padStart(7)} ms  cpu/req ${out.cpuMs.toFixed(2).padStart(6)} ms  ${String(out.rps).padStart(5)} req/s`,
  );
  return out;
}

// node:http with keep-alive rather than fetch: undici's per-request CPU would dominate the figures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function request(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; setCookie: string[]; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": data.length, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, setCookie: res.headers["set-cookie"] ?? [], json: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(data);
  });
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const r = await request(url, body, headers);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  return r.json;
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; ROUNDS=${ROUNDS} REQS=${REQS}`);
  console.log("cpu/req = CPU time of this process (client + server) per request: robust to other load on the machine");
  const sims = await startSimulators({ config: { guanyi: { shops: 1_000_000, vips: 1_000_000 }, dingtalk: { approvals: 100_000, qps: 0, maxSpanDays: 0 } } });
  try {
    // ---------------- Guanyi
    const g = sims.guanyi.credentials;
    const gUrl = `${sims.guanyi.url}/rest/erp_open`;
    const signed = (method: string, biz: Record<string, unknown>) => {
      const o: Record<string, unknown> = { appkey: g.appkey, sessionkey: g.sessionkey, method, ...biz };
      const sign = createHash("md5").update(g.secret + JSON.stringify(o) + g.secret).digest("hex").toUpperCase();
      return { ...o, sign };
    };
    await measure("guanyi gy.erp.shop.get, 100 shops/page of 1,000,000", async (i) => {
      const j = (await postJson(gUrl, signed("gy.erp.shop.get", { page_no: (Math.abs(i) * 7919) % 10_000 + 1, page_size: 100 }))) as { shops: unknown[] };
      if (j.shops.length !== 100) throw new Error("short page");
    });
    await measure("guanyi gy.erp.shop.get, 100/page, modify-date window", async (i) => {
      const j = (await postJson(gUrl, signed("gy.erp.shop.get", { page_no: (Math.abs(i) % 20) + 1, page_size: 100, modify_start_date: "2000-01-01 00:00:00", modify_end_date: "2100-01-01 00:00:00" }))) as { shops: unknown[] };
      if (j.shops.length !== 100) throw new Error("short page");
    });
    await measure("guanyi gy.erp.vip.get, 100 vips/page of 1,000,000", async (i) => {
      await postJson(gUrl, signed("gy.erp.vip.get", { page_no: (Math.abs(i) * 104_729) % 10_000 + 1, page_size: 100 }));
    });

    // ---------------- DingTalk
    const d = sims.dingtalk.credentials;
    const tk = ((await (await fetch(`${sims.dingtalk.url}/gettoken?appkey=${d.appkey}&appsecret=${d.appsecret}`)).json()) as { access_token: string }).access_token;
    const state = (await (await fetch(`${sims.dingtalk.url}/__sandbox/state`)).json()) as { processCodes: { process_code: string }[] };
    const pc = state.processCodes[0].process_code;
    const ids: string[] = [];
    await measure("dingtalk listids, 20 ids/page (cursor) of 50,000", async (i) => {
      const j = (await postJson(`${sims.dingtalk.url}/topapi/processinstance/listids?access_token=${tk}`, {
        process_code: pc,
        start_time: 0,
        end_time: Date.now(),
        size: 20,
        cursor: (Math.abs(i) * 20) % 49_980,
      })) as { result: { list: string[] } };
      if (ids.length < 200) ids.push(...j.result.list);
    });
    await measure("dingtalk processinstance/get", async (i) => {
      await postJson(`${sims.dingtalk.url}/topapi/processinstance/get?access_token=${tk}`, { process_instance_id: ids[Math.abs(i) % ids.length] });
    });

    // ---------------- Kingdee
    const k = sims.kingdee.credentials;
    const base = `${sims.kingdee.url}/k3cloud/`;
    const path = (svc: string) => `/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.${svc}.common.kdsvc`;
    let cookie = "";
    const kd = async (svc: string, body: unknown) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (cookie) headers.cookie = cookie;
      else Object.assign(headers, buildSignedHeaders({ appId: k.appId, appSecret: k.appSecret, acctId: k.acctId, userName: k.username, lcid: k.lcid }, path(svc)));
      const res = await request(`${base}Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.${svc}.common.kdsvc`, body, headers);
      if (res.setCookie.length) cookie = res.setCookie.map((c) => c.split(";")[0]).join("; ");
      return res.json;
    };
    let n = 0;
    await measure("kingdee BatchSave, 100 BD_Customer rows", async () => {
      const model = Array.from({ length: 100 }, () => {
        n++;
        return { FNumber: `BC${String(n).padStart(8, "0")}`, FName: `基准客户${n}`, FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" }, FDescription: "bench" };
      });
      const r = (await kd("BatchSave", { formid: "BD_Customer", data: { Model: model, IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: true } })) as {
        Result: { ResponseStatus: { IsSuccess: boolean } };
      };
      if (!r.Result.ResponseStatus.IsSuccess) throw new Error("BatchSave failed");
    });
    console.log(`  (${n} customers stored)`);
    await measure("kingdee ExecuteBillQuery FNumber IN (100 numbers) — indexed", async (i) => {
      const start = (Math.abs(i) * 100) % (n - 100);
      const list = Array.from({ length: 100 }, (_, j) => `'BC${String(start + j + 1).padStart(8, "0")}'`).join(",");
      const rows = (await kd("ExecuteBillQuery", { data: { FormId: "BD_Customer", FieldKeys: "FCUSTID,FNumber,FName", FilterString: `FNumber IN (${list})` } })) as unknown[];
      if (rows.length !== 100) throw new Error(`got ${rows.length}`);
    });
    await measure(`kingdee ExecuteBillQuery scan of ${n} docs, LIKE + paging 2000`, async (i) => {
      await kd("ExecuteBillQuery", {
        data: { FormId: "BD_Customer", FieldKeys: "FCUSTID,FNumber,FCreateOrgId.FNumber", FilterString: "FName LIKE '%9%' AND FDocumentStatus = 'C'", StartRow: (Math.abs(i) % 5) * 2000, Limit: 2000 },
      });
    });
  } finally {
    agent.destroy();
    await sims.close();
  }

  if (MILLION) {
    // memory of one million saved customers (store only, no HTTP)
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const store = new Store();
    const opts = { needUpdateFields: [], needReturnFields: [], isDeleteEntry: true, verifyBaseData: true, autoAudit: true, validateRepeatJson: false, uniqueNumbers: true, injectFailure: () => false };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 1; i <= 1_000_000; i++) {
      const r = store.save(FORMS.BD_Customer, { FNumber: `M${String(i).padStart(8, "0")}`, FName: `百万客户${i}`, FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" } }, opts);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    global.gc?.();
    const after = process.memoryUsage().heapUsed;
    console.log(`kingdee store: 1,000,000 BD_Customer saves in ${(ms / 1000).toFixed(1)} s (${Math.round(1_000_000 / (ms / 1000))} rows/s; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s), heap +${Math.round((after - before) / 1048576)} MB`);
    const q0 = performance.now();
    const rows = store.query(FORMS.BD_Customer, ["FNumber"], "FNumber IN ('M00000001','M00999999')", "", 0, 0, 0);
    console.log(`kingdee store: indexed lookup in 1,000,000 docs: ${rows.length} rows in ${(performance.now() - q0).toFixed(2)} ms`);
    const s0 = performance.now();
    const scan = store.query(FORMS.BD_Customer, ["FNumber"], "FName LIKE '%99999%'", "", 0, 100, 0);
    console.log(`kingdee store: full LIKE scan of 1,000,000 docs: ${scan.length} rows in ${(performance.now() - s0).toFixed(0)} ms`);
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
