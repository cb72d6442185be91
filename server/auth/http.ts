/**
 * The sign-in, sign-out and first-admin setup endpoints (app/api/auth/*), as functions of a database and a
 * Request so tests drive them with real Requests against real databases.
 *
 * Why plain HTTP and not tRPC: these set and clear the session cookie, and scripts/curl must be able to
 * sign in with one JSON POST. Bodies are JSON only and at most 8 kB; a cross-site browser request is
 * refused before anything is read. Every outcome goes to the audit log (auth.sign_in ok/failed,
 * auth.sign_out, auth.setup).
 */
import type { Db } from "../db";
import { DomainError } from "../errors";
import { writeAudit } from "./audit";
import { MAX_PASSWORD_LENGTH, verifyPassword } from "./passwords";
import { isRole } from "./policy";
import { clearedSessionCookie, clientInfo, createSession, isHttps, readCookie, revokeSession, SESSION_COOKIE, sessionCookie } from "./sessions";
import { completeSetup } from "./setup";
import { checkThrottle, recordAttempt } from "./throttle";
import { normalizeEmail } from "./users";

export const MAX_AUTH_BODY_BYTES = 8 * 1024;
export const MSG_BAD_CREDENTIALS = "邮箱或密码不正确 (wrong email or password)";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Refuses a request a browser made from another site (the Origin or Sec-Fetch-Site says so). */
function requireSameOrigin(req: Request): void {
  if (req.headers.get("sec-fetch-site") === "cross-site") throw new HttpError(403, "拒绝跨站请求 (cross-site request refused)");
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== host) throw new HttpError(403, "拒绝跨站请求 (cross-origin request refused)");
}

/** The JSON body, at most 8 kB, read without buffering more than that. */
async function readJson(req: Request): Promise<Record<string, unknown>> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(400, "请求体必须是 JSON（Content-Type: application/json） (body must be JSON)");
  const tooBig = `请求体超过 ${MAX_AUTH_BODY_BYTES / 1024} kB (body too large)`;
  if (Number(req.headers.get("content-length") ?? 0) > MAX_AUTH_BODY_BYTES) throw new HttpError(400, tooBig);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_AUTH_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new HttpError(400, tooBig);
      }
      chunks.push(value);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "请求体不是有效的 JSON (body is not valid JSON)");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new HttpError(400, "请求体必须是 JSON 对象 (body must be a JSON object)");
  return parsed as Record<string, unknown>;
}

function str(body: Record<string, unknown>, key: string, max: number, required = true): string {
  const v = body[key];
  if (v === undefined && !required) return "";
  if (typeof v !== "string" || (required && !v) || v.length > max) throw new HttpError(400, `字段 ${key} 缺失或无效 (${key} is missing or invalid)`);
  return v;
}

async function guard(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof HttpError) return json(e.status, { error: e.message });
    if (e instanceof DomainError) {
      const status = e.code === "PRECONDITION_FAILED" ? 410 : e.code === "BAD_REQUEST" ? 400 : e.code === "CONFLICT" ? 410 : 500;
      if (status !== 500) return json(status, { error: e.message });
    }
    console.error("[auth] unexpected error:", e);
    return json(500, { error: "服务器内部错误，详情见服务器日志 (internal error; see the server log)" });
  }
}

export function signIn(db: Db, req: Request, now: () => Date = () => new Date()): Promise<Response> {
  return guard(async () => {
    requireSameOrigin(req);
    const body = await readJson(req);
    const email = normalizeEmail(str(body, "email", 254));
    const password = str(body, "password", MAX_PASSWORD_LENGTH);
    const client = clientInfo(req);
    const audit = (ok: boolean, details: Record<string, unknown>, actorId?: string) =>
      writeAudit(db, { actor: email, actorId: actorId ?? null, action: "auth.sign_in", entityType: "users", entityId: actorId ?? null, details: { email, ...details }, ip: client.ip, ok });

    const throttle = await checkThrottle(db, email, client.ip, now());
    if (throttle.throttled) {
      await audit(false, { reason: "throttled" });
      const minutes = Math.ceil(throttle.retryAfterSec / 60);
      return json(429, { error: `登录失败次数过多，请 ${minutes} 分钟后再试 (too many failed sign-ins; try again in ${minutes} min)`, retryAfterSec: throttle.retryAfterSec }, { "retry-after": String(throttle.retryAfterSec) });
    }
    const user = await db.user.findUnique({ where: { email } });
    // verified even for an unknown e-mail (against a dummy hash), so the answer's timing says nothing
    const passwordOk = await verifyPassword(password, user?.passwordHash);
    const ok = !!user && passwordOk && !user.disabledAt && isRole(user.role);
    await recordAttempt(db, email, client.ip, ok, now());
    if (!ok || !user) {
      await audit(false, { reason: !user ? "unknown_user" : user.disabledAt ? "disabled" : "bad_password" }, user?.id);
      return json(401, { error: MSG_BAD_CREDENTIALS });
    }
    const { token } = await createSession(db, user.id, client, now());
    await audit(true, {}, user.id);
    return json(200, { user: { id: user.id, email: user.email, name: user.name, role: user.role } }, { "set-cookie": sessionCookie(token, isHttps(req)) });
  });
}

export function signOut(db: Db, req: Request): Promise<Response> {
  return guard(async () => {
    requireSameOrigin(req);
    const token = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
    if (token) {
      const revoked = await revokeSession(db, token);
      if (revoked) {
        const user = await db.user.findUnique({ where: { id: revoked.userId }, select: { email: true } });
        await writeAudit(db, { actor: user?.email ?? "unknown", actorId: revoked.userId, action: "auth.sign_out", entityType: "users", entityId: revoked.userId, ip: clientInfo(req).ip });
      }
    }
    return json(200, { ok: true }, { "set-cookie": clearedSessionCookie(isHttps(req)) });
  });
}

export function setup(db: Db, req: Request, now: () => Date = () => new Date()): Promise<Response> {
  return guard(async () => {
    requireSameOrigin(req);
    const body = await readJson(req);
    const input = { token: str(body, "token", 200), email: str(body, "email", 254), name: str(body, "name", 100, false), password: str(body, "password", MAX_PASSWORD_LENGTH) };
    const client = clientInfo(req);
    const user = await completeSetup(db, input, now());
    const { token } = await createSession(db, user.id, client, now());
    await writeAudit(db, { actor: user.email, actorId: user.id, action: "auth.setup", entityType: "users", entityId: user.id, details: { email: user.email, name: user.name, role: user.role }, ip: client.ip });
    return json(200, { user: { id: user.id, email: user.email, name: user.name, role: user.role } }, { "set-cookie": sessionCookie(token, isHttps(req)) });
  });
}
