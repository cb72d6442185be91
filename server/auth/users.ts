/**
 * User management shared by the admin API (users router) and the operator's CLI.
 *
 * Why this exists: the rules — e-mail stored lower-case, passwords checked and hashed, a disabled user's
 * sessions revoked at once, the last active admin never demoted or disabled (nobody could manage the
 * workspace any more) — must hold the same whichever door a change comes through.
 */
import type { Db } from "../db";
import { DomainError } from "../errors";
import { checkPasswordStrength, hashPassword } from "./passwords";
import { isRole, type Role } from "./policy";
import { revokeUserSessions } from "./sessions";

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
export function checkEmail(email: string): string {
  const e = normalizeEmail(email);
  if (!EMAIL.test(e) || e.length > 254) throw new DomainError("BAD_REQUEST", `邮箱格式不正确：${email.slice(0, 80)} (invalid e-mail address)`);
  return e;
}

export async function addUser(db: Db, input: { email: string; name?: string; role: Role; password: string }): Promise<UserDto> {
  const email = checkEmail(input.email);
  if (!isRole(input.role)) throw new DomainError("BAD_REQUEST", "角色必须是 admin、editor 或 viewer (role must be admin, editor or viewer)");
  checkPasswordStrength(input.password);
  if (await db.user.findUnique({ where: { email } })) throw new DomainError("CONFLICT", `用户 ${email} 已存在 (user already exists)`);
  const name = input.name?.trim() || email.split("@")[0];
  const u = await db.user.create({ data: { email, name: name.slice(0, 100), role: input.role, passwordHash: await hashPassword(input.password) } });
  return toDto(u, null);
}

function toDto(u: { id: string; email: string; name: string; role: string; disabledAt: Date | null; createdAt: Date }, lastSeenAt: Date | null): UserDto {
  return { id: u.id, email: u.email, name: u.name, role: isRole(u.role) ? u.role : "viewer", disabled: !!u.disabledAt, createdAt: u.createdAt, lastSeenAt };
}

export async function listUsers(db: Db): Promise<UserDto[]> {
  const rows = await db.user.findMany({ orderBy: { email: "asc" }, include: { sessions: { orderBy: { lastSeenAt: "desc" }, take: 1, select: { lastSeenAt: true } } } });
  return rows.map((u) => toDto(u, u.sessions[0]?.lastSeenAt ?? null));
}

async function findUser(db: Db, idOrEmail: { id?: string; email?: string }) {
  const u = idOrEmail.id ? await db.user.findUnique({ where: { id: idOrEmail.id } }) : await db.user.findUnique({ where: { email: normalizeEmail(idOrEmail.email ?? "") } });
  if (!u) throw new DomainError("NOT_FOUND", `用户不存在：${idOrEmail.email ?? idOrEmail.id} (user not found)`);
  return u;
}

/** Refuses a change that would leave no active admin. */
async function keepOneAdmin(db: Db, userId: string): Promise<void> {
  const others = await db.user.count({ where: { role: "admin", disabledAt: null, id: { not: userId } } });
  if (others === 0) throw new DomainError("PRECONDITION_FAILED", "这是最后一个启用的管理员，不能停用或降级 (this is the last active admin)");
}

export async function setRole(db: Db, id: string, role: Role): Promise<UserDto> {
  const u = await findUser(db, { id });
  if (u.role === "admin" && role !== "admin" && !u.disabledAt) await keepOneAdmin(db, u.id);
  return toDto(await db.user.update({ where: { id }, data: { role } }), null);
}

/** Disables the user and revokes every session they have, at once. */
export async function disableUser(db: Db, ref: { id?: string; email?: string }): Promise<UserDto> {
  const u = await findUser(db, ref);
  if (u.role === "admin" && !u.disabledAt) await keepOneAdmin(db, u.id);
  const updated = await db.user.update({ where: { id: u.id }, data: { disabledAt: u.disabledAt ?? new Date() } });
  await revokeUserSessions(db, u.id);
  return toDto(updated, null);
}

export async function enableUser(db: Db, id: string): Promise<UserDto> {
  const u = await findUser(db, { id });
  return toDto(await db.user.update({ where: { id: u.id }, data: { disabledAt: null } }), null);
}

/** Sets a new password and signs the user out everywhere. */
export async function resetPassword(db: Db, id: string, password: string): Promise<UserDto> {
  checkPasswordStrength(password);
  const u = await findUser(db, { id });
  const updated = await db.user.update({ where: { id: u.id }, data: { passwordHash: await hashPassword(password) } });
  await revokeUserSessions(db, u.id);
  return toDto(updated, null);
}
