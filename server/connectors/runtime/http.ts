/**
 * One HTTP exchange over node:http(s), with a timeout, abort, a byte limit enforced while the body
 * streams in, the outbound policy checked on the address actually connected (runtime/outbound.ts), no
 * redirects unless asked for (then every hop checked again), and the body parsed as JSON when it is JSON.
 *
 * Why this exists: the retry loop needs a clear split between "the server answered" (status + body,
 * classified by the error handler) and "no answer" (dropped socket, refused, timeout → NetworkError).
 * A 200 that is not JSON (an HTML login page, a truncated body) is an answer we cannot read: it is
 * marked `unreadable` here so the error handler can refuse it instead of treating it as an empty page.
 * The body is counted chunk by chunk and abandoned at `maxBytes`, so a runaway response costs at most
 * the limit in memory, never its full size.
 * CHOICE: node:http instead of fetch: fetch (undici) cannot take a checked DNS lookup without the
 * `undici` package, and a check before fetch would leave a rebinding window between check and connect.
 */
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { OutboundRefusedError, policyKey, policyLookup, preflight, STRICT_POLICY, type OutboundPolicy } from "./outbound";

export { OutboundRefusedError } from "./outbound";

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** the body as an object, encoded per `bodyEncoding` unless `rawBody` is set */
  body?: unknown;
  bodyEncoding: "json" | "form" | "none";
  /** exact body text (set by authenticators that sign the serialised body) */
  rawBody?: string;
}

/** Why a body could not be read as JSON. */
export type UnreadableKind = "html" | "invalid-json" | "empty" | "text";

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** parsed JSON, or undefined when the body is not JSON */
  body: unknown;
  /** set when `body` is undefined: what the text looked like instead */
  unreadable?: UnreadableKind;
  /** bytes of the body as received */
  bytes: number;
  durationMs: number;
}

export interface SendOptions {
  /** the body is abandoned (ResponseTooLargeError) once more than this many bytes arrived */
  maxBytes?: number;
  /** follow 3xx answers (default false: a redirect is returned as it is, for the error handler) */
  followRedirects?: boolean;
  /** where the call may go (default STRICT_POLICY: public addresses only) */
  policy?: OutboundPolicy;
}

/** Default response-size limit per call (a definition or a connection may set another). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly durationMs: number,
  ) {
    super(message);
    this.name = "NetworkError";
  }
}

/** The server answered, but with more bytes than the limit; the rest of the body was not read. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly status: number,
    readonly durationMs: number,
  ) {
    super(`response exceeds ${limit} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

export function encodeBody(req: PreparedRequest): string | undefined {
  if (req.rawBody !== undefined) return req.rawBody;
  if (req.bodyEncoding === "none" || req.body === undefined || req.method === "GET") return undefined;
  if (req.bodyEncoding === "form") {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      form.set(k, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
    }
    return form.toString();
  }
  return JSON.stringify(req.body);
}

function errorCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const c = cur as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof c.code === "string") return c.code;
    if (c.name === "TimeoutError") return "ETIMEDOUT";
    cur = c.cause;
  }
  return "ENETWORK";
}

/** What a body that is not JSON looks like (for messages: HTML page, truncated JSON, empty, text). */
export function unreadableKind(text: string, contentType: string | null): UnreadableKind {
  const t = text.trim();
  if (t === "") return "empty";
  if (t.startsWith("{") || t.startsWith("[")) return "invalid-json";
  if (/text\/html|application\/xhtml/i.test(contentType ?? "") || /^<(!doctype\s+html|html|head|body|title|h\d|div|p|center)\b/i.test(t)) return "html";
  return "text";
}

/** Chinese name of an unreadable kind. */
export function describeUnreadable(kind: UnreadableKind): string {
  switch (kind) {
    case "html":
      return "HTML 页面";
    case "invalid-json":
      return "截断或无效的 JSON";
    case "empty":
      return "空响应";
    case "text":
      return "非 JSON 文本";
  }
}

const ENTITIES: Record<string, string> = { nbsp: " ", lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", "#39": "'" };

/**
 * A short, cleaned excerpt of a remote body for a message: scripts, styles and tags dropped, a few
 * entities decoded, whitespace collapsed, cut at `max` characters. Never the raw page.
 */
export function cleanExcerpt(text: string, max = 120): string {
  const head = text.slice(0, 4096);
  const cleaned = head
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, " ")
    .replace(/<!--[\s\S]*?(-->|$)/g, " ")
    .replace(/<[^>]*>?/g, " ")
    .replace(/&(nbsp|lt|gt|amp|quot|apos|#39);/g, (_, e: string) => ENTITIES[e] ?? " ")
    // control characters would make a log line unreadable
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}


const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** headers that carry credentials: never sent on to another origin when a redirect is followed */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

/** Keep-alive agents per outbound policy: a socket opened under one policy is never reused under another. */
const agents = new Map<string, { http: http.Agent; https: https.Agent }>();

function agentFor(policy: OutboundPolicy, protocol: string): http.Agent | false {
  // a test resolver is not part of the key: such calls get a fresh socket each time
  if (policy.resolve) return false;
  const key = policyKey(policy);
  let pair = agents.get(key);
  if (!pair) {
    if (agents.size > 50) agents.clear();
    const opts = { keepAlive: true, lookup: policyLookup(policy) as unknown as http.AgentOptions["lookup"] };
    pair = { http: new http.Agent(opts), https: new https.Agent(opts) };
    agents.set(key, pair);
  }
  return protocol === "https:" ? pair.https : pair.http;
}

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  bytes: number;
}

function toHeaders(raw: string[]): Headers {
  const h = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      h.append(raw[i], raw[i + 1]);
    } catch {
      /* a header value fetch would refuse: left out */
    }
  }
  return h;
}

function decoded(res: http.IncomingMessage): Readable {
  const enc = String(res.headers["content-encoding"] ?? "").trim().toLowerCase();
  if (enc === "gzip" || enc === "x-gzip") return res.pipe(zlib.createGunzip());
  if (enc === "deflate") return res.pipe(zlib.createInflate());
  if (enc === "br") return res.pipe(zlib.createBrotliDecompress());
  return res;
}

/**
 * One request/response over node:http(s) with the policy's checked lookup. The body is counted
 * (after decompression) chunk by chunk and abandoned at `maxBytes`; `drain` skips reading it (a
 * redirect hop being followed).
 */
function exchange(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal, policy: OutboundPolicy, maxBytes: number, started: number, drain: (status: number) => boolean): Promise<RawAnswer> {
  preflight(policy, url);
  const mod = url.protocol === "https:" ? https : http;
  const outHeaders: Record<string, string> = { ...headers };
  if (body !== undefined) outHeaders["content-length"] = String(Buffer.byteLength(body));
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = mod.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers: outHeaders,
        agent: agentFor(policy, url.protocol),
        lookup: policyLookup(policy) as unknown as http.RequestOptions["lookup"],
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const resHeaders = toHeaders(res.rawHeaders);
        if (drain(status)) {
          res.resume();
          resolve({ status, headers: resHeaders, text: "", bytes: 0 });
          return;
        }
        const declared = Number(res.headers["content-length"]);
        if (!res.headers["content-encoding"] && Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          reject(new ResponseTooLargeError(maxBytes, status, performance.now() - started));
          return;
        }
        let stream: Readable;
        try {
          stream = decoded(res);
        } catch (e) {
          reject(e);
          return;
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        let done = false;
        const finish = (e: unknown, value?: RawAnswer): void => {
          if (done) return;
          done = true;
          if (e) reject(e);
          else resolve(value as RawAnswer);
        };
        stream.on("data", (chunk: Buffer) => {
          bytes += chunk.byteLength;
          if (bytes > maxBytes) {
            chunks.length = 0;
            finish(new ResponseTooLargeError(maxBytes, status, performance.now() - started));
            res.destroy();
            if (stream !== res) stream.destroy();
            return;
          }
          chunks.push(chunk);
        });
        stream.on("end", () => finish(null, { status, headers: resHeaders, text: Buffer.concat(chunks, bytes).toString("utf8"), bytes }));
        stream.on("error", (e) => finish(e));
        res.on("error", (e) => finish(e));
        res.on("aborted", () => finish(Object.assign(new Error("response aborted"), { code: "ECONNRESET" })));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function redirectTarget(status: number, location: string | null, from: URL): URL | undefined {
  if (!REDIRECT_STATUSES.has(status) || !location) return undefined;
  try {
    return new URL(location, from);
  } catch {
    return undefined;
  }
}

/**
 * Sends one request. Every hop goes through the outbound policy (`policy`, default STRICT_POLICY):
 * refused addresses throw OutboundRefusedError before a packet leaves. Redirects are returned as they
 * are unless `followRedirects`; when followed, each hop is checked again, credentials headers are not
 * carried to another origin, and a body is never re-sent to another origin (the 3xx is returned).
 */
export async function sendHttp(req: PreparedRequest, timeoutMs: number, signal?: AbortSignal, opts: SendOptions = {}): Promise<HttpResult> {
  const started = performance.now();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const policy = opts.policy ?? STRICT_POLICY;
  let headers: Record<string, string> = { accept: "application/json", "accept-encoding": "gzip, deflate", ...req.headers };
  let body = encodeBody(req);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = req.bodyEncoding === "form" ? "application/x-www-form-urlencoded" : "application/json;charset=utf-8";
  }
  const timeout = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let url = req.url;
  let method = req.method;
  let answer: RawAnswer;
  for (let hop = 0; ; hop++) {
    const canFollow = opts.followRedirects === true && hop < MAX_REDIRECTS;
    let next: URL | undefined;
    try {
      answer = await exchange(url, method, headers, body, combined, policy, maxBytes, started, (status) => canFollow && REDIRECT_STATUSES.has(status));
    } catch (e) {
      if (e instanceof ResponseTooLargeError || e instanceof OutboundRefusedError) throw e;
      if (signal?.aborted) throw signal.reason ?? e;
      const code = timeout.aborted ? "ETIMEDOUT" : errorCode(e);
      throw new NetworkError(`network error ${code}`, code, performance.now() - started);
    }
    if (canFollow) next = redirectTarget(answer.status, answer.headers.get("location"), url);
    if (!next) break;
    const crossOrigin = next.origin !== url.origin;
    const toGet = answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === "POST");
    if (crossOrigin && body !== undefined && !toGet) break; // 307/308 would re-send the body elsewhere: stop here
    if (toGet) {
      method = method === "HEAD" ? "HEAD" : "GET";
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-(type|length)$/i.test(k)));
    }
    if (crossOrigin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase())));
    url = next;
  }
  const { text, bytes } = answer;
  let parsed: unknown;
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const result: HttpResult = { status: answer.status, headers: answer.headers, text, body: parsed, bytes, durationMs: performance.now() - started };
  if (parsed === undefined) result.unreadable = unreadableKind(text, answer.headers.get("content-type"));
  return result;
}
