/**
 * Shared machinery of the three vendor simulators: run-time config, fault injection, rate
 * windows, counters, and the plain node:http server with the `/__sandbox/*` hooks.
 *
 * Why this exists: every simulator must inject the same faults the same way (latency, HTTP
 * 5xx, dropped sockets, QPS limits, a one-shot fault queue) from a seeded PRNG, and expose the
 * same inspection hooks, so tests and benchmarks can drive any vendor identically.
 *
 * Fault queue (`failNext`), documented once here for all vendors:
 *   POST /__sandbox/config {"failNext": [FaultSpec, ...]}   appends to the queue
 *   POST /__sandbox/config {"failNext": []}                 clears it
 * Each vendor request consumes the first queued spec whose `method` matches the request's
 * operation name (or that has no `method`). Operation names: Guanyi the `method` param
 * (`gy.erp.shop.get`), DingTalk the path (`gettoken`, `topapi/processinstance/listids`,
 * `topapi/processinstance/get`), Kingdee the service's last segment (`BatchSave`,
 * `ExecuteBillQuery`, `ValidateUser`…). A spec does, in order: wait `delayMs`; `drop` → destroy
 * the socket without a response; `status` → that HTTP status (with `Retry-After: retryAfterSec`
 * when given) and `body` (default: a short text); `vendorError` → the vendor's own error
 * envelope (names per vendor, see each simulator's header).
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Rng } from "./prng";

export type ConfigValue = number | boolean | string;
export type ConfigValues = Record<string, ConfigValue>;

/** Fault knobs every simulator understands (JSON names of POST /__sandbox/config). */
export interface BaseConfig extends ConfigValues {
  latencyMs: number;
  jitterMs: number;
  /** probability of an HTTP 500/502 instead of the answer */
  errorRate: number;
  /** probability of destroying the socket without any response */
  dropRate: number;
  /** per-key requests per second; above it the vendor's own rate-limit error; 0 = unlimited */
  qps: number;
  /** Kingdee: probability that a saved row is rejected with a validation message */
  rowFailureRate: number;
  /** Kingdee idle session lifetime / DingTalk token lifetime, seconds */
  sessionTtlSec: number;
  seed: number;
}

export const BASE_DEFAULTS: BaseConfig = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  dropRate: 0,
  qps: 0,
  rowFailureRate: 0,
  sessionTtlSec: 7200,
  seed: 20240601,
};

const RATE_KEYS = new Set(["errorRate", "dropRate", "rowFailureRate"]);

export interface FaultSpec {
  method?: string;
  delayMs?: number;
  drop?: boolean;
  status?: number;
  retryAfterSec?: number;
  body?: string;
  vendorError?: string;
}

function parseFaultSpec(raw: unknown, i: number): FaultSpec | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return `failNext[${i}] must be an object`;
  const r = raw as Record<string, unknown>;
  const out: FaultSpec = {};
  for (const [k, v] of Object.entries(r)) {
    switch (k) {
      case "method":
      case "body":
      case "vendorError":
        if (typeof v !== "string") return `failNext[${i}].${k} must be a string`;
        out[k] = v;
        break;
      case "delayMs":
      case "retryAfterSec":
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return `failNext[${i}].${k} must be a number ≥ 0`;
        out[k] = v;
        break;
      case "status":
        if (typeof v !== "number" || !Number.isInteger(v) || v < 100 || v > 599)
          return `failNext[${i}].status must be an HTTP status`;
        out.status = v;
        break;
      case "drop":
        if (typeof v !== "boolean") return `failNext[${i}].drop must be a boolean`;
        out.drop = v;
        break;
      default:
        return `failNext[${i}]: unknown key ${k}`;
    }
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// CHOICE: rate limits (`qps`) count requests in fixed one-second windows per key.
/** Fixed one-second windows per key (e.g. app + API). */
export class RateWindows {
  private windows = new Map<string, { sec: number; count: number }>();
  /** true when the call is allowed; `limit` ≤ 0 means unlimited. */
  take(key: string, limit: number, nowMs = Date.now()): boolean {
    if (!(limit > 0)) return true;
    const sec = Math.floor(nowMs / 1000);
    const w = this.windows.get(key);
    if (!w || w.sec !== sec) {
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(key, { sec, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= limit;
  }
  clear(): void {
    this.windows.clear();
  }
}

export type PreflightResult = { done: true } | { done: false; vendorError?: string };

/** Config, counters, fault PRNG and rate windows of one simulator. */
export class SimCore<C extends BaseConfig = BaseConfig> {
  config: C;
  rng: Rng;
  failQueue: FaultSpec[] = [];
  requests: Record<string, number> = {};
  errors: Record<string, number> = {};
  faults = { dropped: 0, httpErrors: 0, injected: 0, rateLimited: 0 };
  /** vendor requests being served now, and the most served at once since the last reset (shows client concurrency) */
  inFlight = 0;
  maxInFlight = 0;
  rate = new RateWindows();
  readonly startedAt = Date.now();

  constructor(
    readonly name: string,
    readonly defaults: C,
    initial: Record<string, unknown> = {},
  ) {
    this.config = { ...defaults };
    const err = this.applyConfig(initial);
    if (err) throw new Error(`${name} simulator config: ${err}`);
    this.rng = new Rng(this.config.seed);
  }

  /** Validates and applies a config patch; returns an error message or null. Atomic. */
  applyConfig(patch: Record<string, unknown>): string | null {
    const next: ConfigValues = { ...this.config };
    let queue: FaultSpec[] | undefined;
    for (const [k, v] of Object.entries(patch)) {
      if (k === "failNext") {
        if (!Array.isArray(v)) return "failNext must be an array";
        const specs: FaultSpec[] = [];
        for (let i = 0; i < v.length; i++) {
          const s = parseFaultSpec(v[i], i);
          if (typeof s === "string") return s;
          specs.push(s);
        }
        queue = specs;
        continue;
      }
      if (!(k in this.defaults)) return `unknown config key ${k}; known: ${Object.keys(this.defaults).join(", ")}, failNext`;
      const def = this.defaults[k];
      if (typeof def === "number") {
        const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
        if (typeof n !== "number" || !Number.isFinite(n) || n < 0) return `${k} must be a number ≥ 0`;
        if (RATE_KEYS.has(k) && n > 1) return `${k} must be between 0 and 1`;
        next[k] = n;
      } else if (typeof def === "boolean") {
        const b = v === "true" ? true : v === "false" ? false : v;
        if (typeof b !== "boolean") return `${k} must be a boolean`;
        next[k] = b;
      } else {
        if (typeof v !== "string") return `${k} must be a string`;
        next[k] = v;
      }
    }
    const seedChanged = next.seed !== this.config.seed;
    this.config = next as C;
    if (queue) this.failQueue = queue.length === 0 ? [] : [...this.failQueue, ...queue];
    if (seedChanged && this.rng) this.rng = new Rng(this.config.seed);
    return null;
  }

  resetCounters(): void {
    this.requests = {};
    this.errors = {};
    this.faults = { dropped: 0, httpErrors: 0, injected: 0, rateLimited: 0 };
    this.maxInFlight = this.inFlight;
    this.rate.clear();
    this.rng = new Rng(this.config.seed);
  }

  countError(op: string, code: string | number): void {
    const key = `${op}:${code}`;
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  private takeFault(op: string): FaultSpec | undefined {
    const i = this.failQueue.findIndex((f) => f.method === undefined || f.method === op);
    if (i < 0) return undefined;
    const [f] = this.failQueue.splice(i, 1);
    this.faults.injected++;
    return f;
  }

  /**
   * Applies latency and transport faults to one vendor request. When it returns done:true the
   * response has been sent (or the socket destroyed) and the vendor must not answer.
   */
  async preflight(op: string, req: IncomingMessage, res: ServerResponse): Promise<PreflightResult> {
    this.requests[op] = (this.requests[op] ?? 0) + 1;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    res.once("close", () => this.inFlight--);
    const fault = this.takeFault(op);
    if (fault?.delayMs) await sleep(fault.delayMs);
    const latency = this.config.latencyMs + (this.config.jitterMs > 0 ? this.rng.next() * this.config.jitterMs : 0);
    if (latency > 0) await sleep(latency);
    if (fault?.drop || this.rng.chance(this.config.dropRate)) {
      this.faults.dropped++;
      req.socket.destroy();
      return { done: true };
    }
    if (fault?.status) {
      this.faults.httpErrors++;
      const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
      if (fault.retryAfterSec !== undefined) headers["retry-after"] = String(Math.ceil(fault.retryAfterSec));
      res.writeHead(fault.status, headers);
      res.end(fault.body ?? `${fault.status} ${http.STATUS_CODES[fault.status] ?? "Error"} (injected)`);
      return { done: true };
    }
    if (this.rng.chance(this.config.errorRate)) {
      this.faults.httpErrors++;
      const status = this.rng.next() < 0.5 ? 500 : 502;
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(`<html><body><h1>${status} ${http.STATUS_CODES[status]}</h1></body></html>`);
      return { done: true };
    }
    return { done: false, vendorError: fault?.vendorError };
  }

  baseState(): Record<string, unknown> {
    return {
      name: this.name,
      startedAt: new Date(this.startedAt).toISOString(),
      config: this.config,
      failNext: this.failQueue,
      requests: this.requests,
      errors: this.errors,
      faults: this.faults,
      maxInFlight: this.maxInFlight,
    };
  }
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  raw: IncomingMessage;
}

export interface SimulatorHandle {
  name: "guanyi" | "dingtalk" | "kingdee";
  port: number;
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string;
  credentials: Record<string, string>;
  close(): Promise<void>;
}

export interface StartOptions {
  host?: string;
  port?: number;
  config?: Record<string, unknown>;
}

/** What a vendor plugs into the shared server. */
export interface VendorApp {
  name: SimulatorHandle["name"];
  core: SimCore;
  credentials: Record<string, string>;
  /** vendor routes (everything not under /__sandbox/) */
  handle(req: SimRequest, res: ServerResponse): Promise<void>;
  /** vendor-specific extra state */
  state(): Record<string, unknown>;
  /** clears documents/tokens/sessions/overrides; counters are cleared by the caller */
  reset(): void;
  /** extra /__sandbox/ routes; returns false when not handled */
  sandbox?(req: SimRequest, res: ServerResponse): Promise<boolean> | boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const MAX_BODY = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Parses a sandbox JSON body; answers 400 itself and returns undefined on failure. */
export function sandboxJson(req: SimRequest, res: ServerResponse): Record<string, unknown> | undefined {
  const text = req.body.toString("utf8").trim();
  if (text === "") return {};
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  sendJson(res, 400, { ok: false, error: "body must be a JSON object" });
  return undefined;
}

/** Starts a vendor app on node:http; rejects with the listen error (e.g. EADDRINUSE). */
export function serve(app: VendorApp, opts: StartOptions): Promise<SimulatorHandle> {
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer((raw, res) => {
    void (async () => {
      const body = await readBody(raw);
      if (body === null) {
        if (!res.headersSent) sendJson(res, 413, { error: "request body too large" });
        return;
      }
      const url = new URL(raw.url ?? "/", "http://localhost");
      const req: SimRequest = {
        method: raw.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: raw.headers,
        body,
        raw,
      };
      if (req.path.startsWith("/__sandbox/")) {
        await sandboxRoute(app, req, res);
        return;
      }
      await app.handle(req, res);
    })().catch((err: unknown) => {
      // Last resort: a simulator bug must never leak a stack trace to a client.
      console.error(`[${app.name} simulator] internal error:`, err);
      if (!res.headersSent) sendJson(res, 500, { error: "simulator internal error" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      const port = (server.address() as AddressInfo).port;
      const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
      resolve({
        name: app.name,
        port,
        url: `http://${urlHost}:${port}`,
        credentials: app.credentials,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function sandboxRoute(app: VendorApp, req: SimRequest, res: ServerResponse): Promise<void> {
  const core = app.core;
  if (req.path === "/__sandbox/state" && req.method === "GET") {
    sendJson(res, 200, { ...core.baseState(), credentials: app.credentials, ...app.state() });
    return;
  }
  if (req.path === "/__sandbox/config" && req.method === "POST") {
    const patch = sandboxJson(req, res);
    if (!patch) return;
    const err = core.applyConfig(patch);
    if (err) {
      sendJson(res, 400, { ok: false, error: err });
      return;
    }
    sendJson(res, 200, { ok: true, config: core.config, failNext: core.failQueue });
    return;
  }
  if (req.path === "/__sandbox/reset" && req.method === "POST") {
    const patch = sandboxJson(req, res);
    if (!patch) return;
    const err = core.applyConfig(patch);
    if (err) {
      sendJson(res, 400, { ok: false, error: err });
      return;
    }
    core.failQueue = [];
    core.resetCounters();
    app.reset();
    sendJson(res, 200, { ok: true, config: core.config });
    return;
  }
  if (app.sandbox && (await app.sandbox(req, res))) return;
  sendJson(res, 404, { ok: false, error: `no sandbox route ${req.method} ${req.path}` });
}
