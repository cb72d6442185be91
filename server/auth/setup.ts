/**
 * The first admin: a one-time setup link printed by `npm start`, or a headless admin from the environment.
 *
 * Why this exists: a fresh install has no users, so nobody could sign in; but an open "create the first
 * admin" page would hand the workspace to whoever reaches the port first. The link carries a random
 * token (only its sha256 is stored) that works once, within 30 minutes, and only while no user exists.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { checkPasswordStrength } from "./passwords";
import { sha256 } from "./sessions";
import { addUser, checkEmail, normalizeEmail, type UserDto } from "./users";

export const SETUP_TTL_MS = 30 * 60_000;

export async function setupRequired(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** A new one-time token (the caller prints the link); older unused tokens stay valid until they expire. */
export async function createSetupToken(db: Db, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + SETUP_TTL_MS);
  await db.setupToken.create({ data: { id: sha256(token), createdAt: now, expiresAt } });
  return { token, expiresAt };
}

export const SETUP_GONE = "设置链接已失效（已使用、已过期，或管理员已存在）；请重新运行 npm start 获取新链接 (setup link expired or already used)";

/**
 * Creates the first admin with a valid token. Throws PRECONDITION_FAILED (→ 410) when the token is
 * unknown/used/expired or a user already exists, BAD_REQUEST for a weak password or a bad e-mail.
 */
export async function completeSetup(db: Db, input: { token: string; email: string; name?: string; password: string }, now = new Date()): Promise<UserDto> {
  if (!input.token || input.token.length > 200) throw new DomainError("PRECONDITION_FAILED", SETUP_GONE);
  const id = sha256(input.token);
  const row = await db.setupToken.findUnique({ where: { id } });
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime() || !(await setupRequired(db))) throw new DomainError("PRECONDITION_FAILED", SETUP_GONE);
  // validate before spending the token, so a typo in the password does not burn the link
  checkEmail(input.email);
  checkPasswordStrength(input.password);
  // claim the token atomically: of two concurrent setups only one wins
  const claimed = await db.setupToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (claimed.count !== 1 || !(await setupRequired(db))) throw new DomainError("PRECONDITION_FAILED", SETUP_GONE);
  return addUser(db, { email: input.email, name: input.name, role: "admin", password: input.password });
}

/** SHUQIAO_ADMIN_EMAIL + SHUQIAO_ADMIN_PASSWORD: creates that admin when it does not exist yet (idempotent). */
export async function ensureHeadlessAdmin(db: Db, email: string, password: string): Promise<{ created: boolean; user: UserDto | null }> {
  if (await db.user.findUnique({ where: { email: normalizeEmail(email) } })) return { created: false, user: null };
  return { created: true, user: await addUser(db, { email, role: "admin", password }) };
}
