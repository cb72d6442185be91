/**
 * One HTTP exchange over Node's built-in fetch, with a timeout, abort, a byte limit enforced while the
 * body streams in, no redirects unless asked for, and the body parsed as JSON when it is JSON.
 *
 * Why this exists: the retry loop needs a clear split between "the server answered" (status + body,
 * classified by the error handler) and "no answer" (dropped socket, refused, timeout → NetworkError).
 * A 200 that is not JSON (an HTML login page, a truncated body) is an answer we cannot read: it is
 * marked `unreadable` here so the error handler can refuse it instead of treating it as an empty page.
 * The body is counted chunk by chunk and abandoned at `maxBytes`, so a runaway response costs at most
 * the limit in memory, never its full size.
 */

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

/** Reads a body stream, counting bytes; cancels it and throws once more than `maxBytes` arrived. */
async function readBounded(res: Response, maxBytes: number, started: number): Promise<{ text: string; bytes: number }> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes, res.status, performance.now() - started);
  }
  if (!res.body) return { text: "", bytes: 0 };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes, res.status, performance.now() - started);
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks, bytes).toString("utf8"), bytes };
}

export async function sendHttp(req: PreparedRequest, timeoutMs: number, signal?: AbortSignal, opts: SendOptions = {}): Promise<HttpResult> {
  const started = performance.now();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  const body = encodeBody(req);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = req.bodyEncoding === "form" ? "application/x-www-form-urlencoded" : "application/json;charset=utf-8";
  }
  const timeout = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(req.url, { method: req.method, headers, body, signal: combined, redirect: opts.followRedirects ? "follow" : "manual" });
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e;
    const code = timeout.aborted ? "ETIMEDOUT" : errorCode(e);
    throw new NetworkError(`network error ${code}`, code, performance.now() - started);
  }
  let text: string;
  let bytes: number;
  try {
    ({ text, bytes } = await readBounded(res, maxBytes, started));
  } catch (e) {
    if (e instanceof ResponseTooLargeError) throw e;
    if (signal?.aborted) throw signal.reason ?? e;
    const code = timeout.aborted ? "ETIMEDOUT" : errorCode(e);
    throw new NetworkError(`network error while reading body ${code}`, code, performance.now() - started);
  }
  let parsed: unknown;
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const result: HttpResult = { status: res.status, headers: res.headers, text, body: parsed, bytes, durationMs: performance.now() - started };
  if (parsed === undefined) result.unreadable = unreadableKind(text, res.headers.get("content-type"));
  return result;
}
