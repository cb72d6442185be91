/**
 * One HTTP exchange over Node's built-in fetch, with a timeout, abort, and the body parsed as JSON
 * when it is JSON.
 *
 * Why this exists: the retry loop needs a clear split between "the server answered" (status + body,
 * classified by the error handler) and "no answer" (dropped socket, refused, timeout → NetworkError).
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

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** parsed JSON, or undefined when the body is not JSON */
  body: unknown;
  durationMs: number;
}

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

export async function sendHttp(req: PreparedRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResult> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  const body = encodeBody(req);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = req.bodyEncoding === "form" ? "application/x-www-form-urlencoded" : "application/json;charset=utf-8";
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(req.url, { method: req.method, headers, body, signal: combined });
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e;
    const code = timeout.aborted ? "ETIMEDOUT" : errorCode(e);
    throw new NetworkError(`network error ${code}`, code, performance.now() - started);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
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
  return { status: res.status, headers: res.headers, text, body: parsed, durationMs: performance.now() - started };
}
