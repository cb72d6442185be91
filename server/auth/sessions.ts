/**
 * Server-side sessions behind the `shuqiao_session` cookie.
 *
 * Why this exists: a session must be revocable (sign-out, a disabled user, a reset password), so the
 * cookie only carries a random token and the database holds the session row under sha256(token) — a
 * copy of the sessions table signs nobody in. Sessions end after 12 h without use (idle) and 7 days
 * after sign-in whatever happens (absolute).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db";
import { isRole, type Principal } from "./policy";

export const SESSION_COOKIE = "shuqiao_session";
export const IDLE_MS = 12 * 3600_000;
export const ABSOLUTE_MS = 7 * 24 * 3600_000;
/** lastSeenAt is written at most this often (one write per minute per active browser, not per request) */
export const TOUCH_MS = 60_000;

export function sha256(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface ClientInfo {
  ip?: string | null;
  userAgent?: string | null;
}

export async function createSession(db: Db, userId: string, client: ClientInfo = {}, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ABSOLUTE_MS);
  await db.session.create({
    data: { id: sha256(token), userId, createdAt: now, lastSeenAt: now, expiresAt, ip: client.ip ?? null, userAgent: client.userAgent?.slice(0, 300) ?? null },
  });
  return { token, expiresAt };
}

export interface ActiveSession {
  sessionId: string;
  user: Principal;
}

/** The signed-in user for a cookie token, or null when the session is unknown, revoked, expired or its user disabled. */
export async function resolveSession(db: Db, token: string | null | undefined, now = new Date()): Promise<ActiveSession | null> {
  if (!token || token.length > 200) return null;
  const id = sha256(token);
  const s = await db.session.findUnique({ where: { id }, include: { user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } } });
  if (!s || s.revokedAt || s.user.disabledAt || !isRole(s.user.role)) return null;
  const t = now.getTime();
  if (s.expiresAt.getTime() <= t || s.lastSeenAt.getTime() + IDLE_MS <= t) return null;
  if (t - s.lastSeenAt.getTime() >= TOUCH_MS) await db.session.update({ where: { id }, data: { lastSeenAt: now } });
  return { sessionId: id, user: { id: s.user.id, email: s.user.email, name: s.user.name, role: s.user.role } };
}

export async function revokeSession(db: Db, token: string, now = new Date()): Promise<{ userId: string } | null> {
  const id = sha256(token);
  const s = await db.session.findUnique({ where: { id }, select: { userId: true, revokedAt: true } });
  if (!s) return null;
  if (!s.revokedAt) await db.session.update({ where: { id }, data: { revokedAt: now } });
  return { userId: s.userId };
}

export async function revokeUserSessions(db: Db, userId: string, now = new Date()): Promise<number> {
  const r = await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return r.count;
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      const v = part.slice(i + 1).trim();
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    }
  }
  return null;
}

/** Whether the browser reached us over HTTPS (directly, or through a proxy that says so). */
export function isHttps(req: Request): boolean {
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (proto) return proto === "https";
  return new URL(req.url).protocol === "https:";
}

export function sessionCookie(token: string, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${Math.floor(ABSOLUTE_MS / 1000)}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
}

/**
 * The client's address. Only the custom server of `npm start` (scripts/start.ts) sets this header — it
 * overwrites whatever the client sent with the socket's peer address — so it cannot be forged from outside.
 * CHOICE: X-Forwarded-For is not trusted (anyone can send it); behind a reverse proxy every client shares
 * the proxy's address for per-IP throttling, while per-account throttling is unaffected.
 */
export const CLIENT_IP_HEADER = "x-shuqiao-client-ip";
export function clientInfo(req: Request): ClientInfo {
  return { ip: req.headers.get(CLIENT_IP_HEADER) || null, userAgent: req.headers.get("user-agent") };
}
