/**
 * The router walk: every procedure of the whole appRouter declares an access rule, only the listed few are
 * public, and each one — called for real through tRPC's caller — refuses an anonymous caller with
 * UNAUTHORIZED, a signed-in role below its rule with FORBIDDEN, and lets its own role and above past the
 * guard (whatever the procedure then says about the deliberately minimal input is not this test's concern).
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { createTestDb, type TestDb } from "@/server/testing/db";
import { anonymous, asUser } from "@/server/testing/auth";
import { authorize, PUBLIC_PROCEDURES, ROLES, roleRank, type Rule } from "./policy";

const createCaller = createCallerFactory(appRouter);
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { role?: Rule }; type: string } }>);

async function outcome(ctx: Context, path: string): Promise<string> {
  const caller = createCaller(ctx) as unknown as Record<string, unknown>;
  let fn: unknown = caller;
  for (const part of path.split(".")) fn = (fn as Record<string, unknown>)[part];
  try {
    const r = await (fn as (input: unknown) => Promise<unknown>)({});
    // a subscription hands back its stream: stop it at once
    if (r && typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") await (r as AsyncIterator<unknown>).return?.(undefined);
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : "ERROR";
  }
}

describe("access policy", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
  });
  afterAll(async () => t?.drop());

  it("every procedure declares a rule; the public ones are exactly the listed few", () => {
    expect(procedures.length).toBeGreaterThan(50);
    const missing = procedures.filter(([, p]) => !p._def.meta?.role).map(([path]) => path);
    expect(missing, "procedures without an access rule").toEqual([]);
    const pub = procedures.filter(([, p]) => p._def.meta?.role === "public").map(([path]) => path);
    expect(pub.sort()).toEqual([...PUBLIC_PROCEDURES].sort());
  });

  it("a procedure without a rule is denied to everyone (default deny)", () => {
    expect(authorize(undefined, null)).toMatchObject({ ok: false, code: "UNAUTHORIZED" });
    for (const role of ROLES) expect(authorize(undefined, { id: "u", email: "u@x", name: "u", role })).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("admin-only areas stay admin-only (users, audit, settings, connection changes)", () => {
    const rule = (p: string) => procedures.find(([path]) => path === p)?.[1]._def.meta?.role;
    for (const p of ["users.list", "users.add", "users.disable", "audit.list", "settings.get", "settings.update", "connections.create", "connections.update", "connections.delete", "connections.test"]) expect(rule(p), p).toBe("admin");
    for (const p of ["flows.saveVersion", "runEvents.start", "runEvents.cancel", "runEvents.rerun", "schedules.set", "preview.sample", "qeasy.import"]) expect(rule(p), p).toBe("editor");
    for (const p of ["flows.list", "runs.list", "records.list", "monitor.overview", "connections.list"]) expect(rule(p), p).toBe("viewer");
  });

  it("each procedure: anonymous → UNAUTHORIZED, below its role → FORBIDDEN, its role and above → past the guard", async () => {
    const problems: string[] = [];
    for (const [path, p] of procedures) {
      const rule = p._def.meta?.role;
      if (rule === "public" || !rule) continue;
      const anon = await outcome(anonymous(t.db), path);
      if (anon !== "UNAUTHORIZED") problems.push(`${path} anonymous → ${anon}`);
      for (const role of ROLES) {
        const got = await outcome(asUser(t.db, role), path);
        const below = roleRank(role) < roleRank(rule);
        if (below && got !== "FORBIDDEN") problems.push(`${path} as ${role} (needs ${rule}) → ${got}`);
        if (!below && (got === "FORBIDDEN" || got === "UNAUTHORIZED")) problems.push(`${path} as ${role} (needs ${rule}) → ${got}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("refused mutations of a signed-in user are in the audit log; anonymous ones are not", async () => {
    await outcome(asUser(t.db, "viewer"), "flows.delete");
    await outcome(anonymous(t.db), "users.add");
    const rows = await t.db.auditLog.findMany({ where: { action: { in: ["flows.delete", "users.add"] }, actor: { in: ["viewer@test.local", "anonymous"] } } });
    expect(rows.some((r) => r.action === "flows.delete" && r.actor === "viewer@test.local" && r.ok === false)).toBe(true);
    expect(rows.some((r) => r.action === "users.add" && r.actor !== "viewer@test.local")).toBe(false);
  });
});
