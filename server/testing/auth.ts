/**
 * Signed-in contexts for tests that call routers through tRPC's caller or handler.
 *
 * Why this exists: every procedure now requires a role; the router tests are about what the procedures
 * do, so by default they act as an admin (who may call everything). Tests about access itself pass the
 * role they mean, or `anonymous(db)`.
 */
import type { Context } from "@/server/api/trpc";
import type { Principal, Role } from "@/server/auth/policy";
import type { Db } from "@/server/db";

export function testUser(role: Role = "admin"): Principal {
  return { id: `test-${role}`, email: `${role}@test.local`, name: `测试${role}`, role };
}

/** A context signed in with `role` (admin by default). The user need not exist in the database. */
export function asUser(db: Db, role: Role = "admin"): Context {
  return { db, user: testUser(role), sessionId: null, ip: "127.0.0.1" };
}

export function asAdmin(db: Db): Context {
  return asUser(db, "admin");
}

export function anonymous(db: Db): Context {
  return { db, user: null, sessionId: null, ip: null };
}
