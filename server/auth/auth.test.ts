/**
 * Sign-in, sessions, throttling, the first-admin setup and the audit trail, through the real HTTP handlers
 * (the functions app/api/auth/* call) with real Requests, against a real SQLite database; the tRPC handler
 * is driven over its fetch adapter with the cookie the sign-in handed out. Time is moved by passing `now`.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { createCallerFactory, createContextFor } from "@/server/api/trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "@/server/testing/db";
import { asAdmin } from "@/server/testing/auth";
import { MSG_BAD_CREDENTIALS, setup, signIn, signOut } from "./http";
import { hashPassword, verifyPassword } from "./passwords";
import { ABSOLUTE_MS, IDLE_MS, resolveSession, sha256 } from "./sessions";
import { createSetupToken, ensureHeadlessAdmin, SETUP_TTL_MS } from "./setup";
import { addUser, disableUser } from "./users";
import { auditDetails, auditEntity, REDACTED } from "./audit";

const BASE = "http://shuqiao.test";

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(BASE + path, {
    method: "POST",
    headers: { "content-type": "application/json", host: "shuqiao.test", "x-shuqiao-client-ip": "10.1.1.1", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function cookieOf(res: Response): string {
  const c = res.headers.get("set-cookie") ?? "";
  return c.split(";")[0];
}

async function trpc(t: TestDb, path: string, input: unknown, cookie?: string, method: "GET" | "POST" = "GET") {
  const enc = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const req =
    method === "GET"
      ? new Request(`${BASE}/api/trpc/${path}?input=${enc}`, { headers })
      : new Request(`${BASE}/api/trpc/${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(superjson.serialize(input)) });
  const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: ({ req }) => createContextFor(t.db, req) });
  return { status: res.status, body: (await res.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string } } } } };
}

const PASSWORD = "correct-horse-9";
const pgOk = await requirePostgres();

for (const provider of ["sqlite", "postgres"] as Provider[])
describe.skipIf(provider === "postgres" && !pgOk)(`sign-in and sessions on ${provider}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
    await addUser(t.db, { email: "Alice@Example.com", name: "Alice", role: "editor", password: PASSWORD });
    await addUser(t.db, { email: "viewer@example.com", role: "viewer", password: PASSWORD });
  });
  afterAll(async () => t?.drop());

  it("hashes with scrypt and a per-user salt; the same password hashes differently", async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD + "x", a)).toBe(false);
    expect(await verifyPassword(PASSWORD, null)).toBe(false);
    const stored = await t.db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    expect(stored.passwordHash).not.toContain(PASSWORD);
  });

  it("signs in with the right password: 200, the user, an HttpOnly SameSite=Lax cookie; only the token's hash is stored", async () => {
    const res = await signIn(t.db, post("/api/auth/sign-in", { email: "ALICE@example.com ", password: PASSWORD }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: unknown }).user).toMatchObject({ email: "alice@example.com", name: "Alice", role: "editor" });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^shuqiao_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).not.toContain("Secure");
    const token = cookieOf(res).split("=")[1];
    const row = await t.db.session.findUniqueOrThrow({ where: { id: sha256(token) } });
    expect(row.ip).toBe("10.1.1.1");
    expect(await t.db.session.count({ where: { id: token } })).toBe(0);
    // the cookie signs tRPC calls in
    const me = await trpc(t, "auth.me", undefined, cookieOf(res));
    expect(me.body.result?.data.json).toMatchObject({ user: { email: "alice@example.com", role: "editor" }, setupRequired: false });
  });

  it("marks the cookie Secure when the request came over HTTPS (directly or through a proxy)", async () => {
    const viaProxy = await signIn(t.db, post("/api/auth/sign-in", { email: "alice@example.com", password: PASSWORD }, { "x-forwarded-proto": "https" }));
    expect(viaProxy.headers.get("set-cookie")).toMatch(/; Secure/);
    const direct = await signIn(t.db, new Request("https://shuqiao.test/api/auth/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "alice@example.com", password: PASSWORD }) }));
    expect(direct.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("answers 401 with one generic message for a wrong password and for an unknown account", async () => {
    const wrong = await signIn(t.db, post("/api/auth/sign-in", { email: "viewer@example.com", password: "not-the-password" }, { "x-shuqiao-client-ip": "10.2.2.2" }));
    const unknown = await signIn(t.db, post("/api/auth/sign-in", { email: "nobody@example.com", password: PASSWORD }, { "x-shuqiao-client-ip": "10.2.2.2" }));
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ error: MSG_BAD_CREDENTIALS });
      expect(r.headers.get("set-cookie")).toBeNull();
    }
    const failed = await t.db.auditLog.findMany({ where: { action: "auth.sign_in", ok: false, actor: { in: ["viewer@example.com", "nobody@example.com"] } } });
    expect(failed).toHaveLength(2);
    expect(JSON.stringify(failed)).not.toContain("not-the-password");
    expect(await t.db.loginAttempt.count({ where: { key: "ip:10.2.2.2", ok: false } })).toBe(2);
  });

  it("refuses non-JSON, oversized and cross-site bodies before looking at them", async () => {
    const form = await signIn(t.db, post("/api/auth/sign-in", "email=a&password=b", { "content-type": "application/x-www-form-urlencoded" }));
    expect(form.status).toBe(400);
    const multipart = await signIn(t.db, post("/api/auth/sign-in", "x", { "content-type": "multipart/form-data; boundary=x" }));
    expect(multipart.status).toBe(400);
    const big = await signIn(t.db, post("/api/auth/sign-in", JSON.stringify({ email: "alice@example.com", password: PASSWORD, pad: "x".repeat(9000) })));
    expect(big.status).toBe(400);
    expect(((await big.json()) as { error: string }).error).toMatch(/8 kB/);
    const notJson = await signIn(t.db, post("/api/auth/sign-in", "{nope"));
    expect(notJson.status).toBe(400);
    const cross = await signIn(t.db, post("/api/auth/sign-in", { email: "alice@example.com", password: PASSWORD }, { origin: "https://evil.example" }));
    expect(cross.status).toBe(403);
  });

  it("tRPC answers 401 to an anonymous call and 403 to a role below the rule, over HTTP", async () => {
    const anon = await trpc(t, "flows.list", undefined);
    expect(anon.status).toBe(401);
    expect(anon.body.error?.json.data.code).toBe("UNAUTHORIZED");
    const res = await signIn(t.db, post("/api/auth/sign-in", { email: "viewer@example.com", password: PASSWORD }, { "x-shuqiao-client-ip": "10.3.3.3" }));
    const viewer = cookieOf(res);
    expect((await trpc(t, "flows.list", undefined, viewer)).status).toBe(200);
    const refused = await trpc(t, "flows.create", { name: "不该创建" }, viewer, "POST");
    expect(refused.status).toBe(403);
    expect(refused.body.error?.json.data.code).toBe("FORBIDDEN");
    expect(await t.db.flow.count({ where: { name: "不该创建" } })).toBe(0);
    expect((await trpc(t, "users.list", undefined, viewer)).status).toBe(403);
    // anonymous auth.me is allowed and says who is not signed in
    expect((await trpc(t, "auth.me", undefined)).body.result?.data.json).toEqual({ user: null, setupRequired: false });
  });

  it("ends a session after 12 h idle and 7 days after sign-in however active; lastSeenAt moves at most once a minute", async () => {
    const u = await t.db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    const t0 = new Date("2026-01-01T00:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const res = await signIn(t.db, post("/api/auth/sign-in", { email: u.email, password: PASSWORD }, { "x-shuqiao-client-ip": "10.4.4.4" }), () => t0);
    const token = cookieOf(res).split("=")[1];
    expect(await resolveSession(t.db, token, at(30_000))).not.toBeNull();
    expect((await t.db.session.findUniqueOrThrow({ where: { id: sha256(token) } })).lastSeenAt).toEqual(t0);
    expect(await resolveSession(t.db, token, at(IDLE_MS - 1000))).not.toBeNull(); // touches lastSeenAt
    expect(await resolveSession(t.db, token, at(2 * IDLE_MS - 2000))).not.toBeNull();
    expect(await resolveSession(t.db, token, at(3 * IDLE_MS))).toBeNull(); // idle > 12 h since the last touch
    // an active browser, seen every 11 h, is still signed out at 7 days
    const res2 = await signIn(t.db, post("/api/auth/sign-in", { email: u.email, password: PASSWORD }, { "x-shuqiao-client-ip": "10.4.4.4" }), () => t0);
    const token2 = cookieOf(res2).split("=")[1];
    let ms = 0;
    while (ms + 11 * 3600_000 < ABSOLUTE_MS) {
      ms += 11 * 3600_000;
      expect(await resolveSession(t.db, token2, at(ms))).not.toBeNull();
    }
    expect(await resolveSession(t.db, token2, at(ABSOLUTE_MS))).toBeNull();
  });

  it("sign-out revokes the session row and clears the cookie; disabling a user revokes all their sessions", async () => {
    const res = await signIn(t.db, post("/api/auth/sign-in", { email: "alice@example.com", password: PASSWORD }, { "x-shuqiao-client-ip": "10.5.5.5" }));
    const cookie = cookieOf(res);
    const out = await signOut(t.db, new Request(BASE + "/api/auth/sign-out", { method: "POST", headers: { cookie, host: "shuqiao.test" } }));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^shuqiao_session=;.*Max-Age=0/);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: sha256(cookie.split("=")[1]) } })).revokedAt).not.toBeNull();
    expect((await trpc(t, "flows.list", undefined, cookie)).status).toBe(401);
    expect(await t.db.auditLog.count({ where: { action: "auth.sign_out", actor: "alice@example.com" } })).toBe(1);

    const v = await addUser(t.db, { email: "leaver@example.com", role: "editor", password: PASSWORD });
    const c1 = cookieOf(await signIn(t.db, post("/api/auth/sign-in", { email: v.email, password: PASSWORD }, { "x-shuqiao-client-ip": "10.5.5.6" })));
    const c2 = cookieOf(await signIn(t.db, post("/api/auth/sign-in", { email: v.email, password: PASSWORD }, { "x-shuqiao-client-ip": "10.5.5.7" })));
    expect((await trpc(t, "flows.list", undefined, c1)).status).toBe(200);
    // through the admin API, as the UI does it
    await createCallerFactory(appRouter)(asAdmin(t.db)).users.disable({ id: v.id });
    for (const c of [c1, c2]) expect((await trpc(t, "flows.list", undefined, c)).status).toBe(401);
    const again = await signIn(t.db, post("/api/auth/sign-in", { email: v.email, password: PASSWORD }, { "x-shuqiao-client-ip": "10.5.5.8" }));
    expect(again.status).toBe(401);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "users.disable" } });
    expect(audit).toMatchObject({ actor: "admin@test.local", entityType: "users", entityId: v.id, ok: true });
  });

  it("refuses the last active admin's own disabling", async () => {
    const db2 = await createTestDb("sqlite");
    try {
      const a = await addUser(db2.db, { email: "only@example.com", role: "admin", password: PASSWORD });
      await expect(disableUser(db2.db, { id: a.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    } finally {
      await db2.drop();
    }
  });
});

for (const provider of ["sqlite", "postgres"] as Provider[])
describe.skipIf(provider === "postgres" && !pgOk)(`throttling on ${provider}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
    await addUser(t.db, { email: "target@example.com", role: "admin", password: PASSWORD });
    for (let i = 0; i < 3; i++) await addUser(t.db, { email: `u${i}@example.com`, role: "viewer", password: PASSWORD });
  });
  afterAll(async () => t?.drop());

  it("after 5 failures for one account in 15 min, refuses even the right password with 429 for 15 min", async () => {
    const t0 = Date.parse("2026-02-01T08:00:00Z");
    const attempt = (password: string, ms: number, ip: string) => signIn(t.db, post("/api/auth/sign-in", { email: "target@example.com", password }, { "x-shuqiao-client-ip": ip }), () => new Date(t0 + ms));
    for (let i = 0; i < 5; i++) expect((await attempt("wrong-guess-" + i, i * 60_000, `10.9.0.${i}`)).status).toBe(401);
    const locked = await attempt(PASSWORD, 5 * 60_000, "10.9.1.1");
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { error: string; retryAfterSec: number };
    expect(body.retryAfterSec).toBe(15 * 60 - 60); // 15 min after the last failure (at 4 min)
    expect(locked.headers.get("retry-after")).toBe(String(body.retryAfterSec));
    expect(body.error).toMatch(/分钟后再试/);
    expect(locked.headers.get("set-cookie")).toBeNull();
    expect(await t.db.auditLog.count({ where: { action: "auth.sign_in", ok: false, actor: "target@example.com" } })).toBe(6);
    // still locked just before the end, open after it
    expect((await attempt(PASSWORD, 4 * 60_000 + 15 * 60_000 - 1000, "10.9.1.2")).status).toBe(429);
    expect((await attempt(PASSWORD, 4 * 60_000 + 15 * 60_000 + 1000, "10.9.1.3")).status).toBe(200);
  });

  it("after 20 failures from one address, refuses every account from it, not from elsewhere", async () => {
    const t0 = Date.parse("2026-03-01T08:00:00Z");
    const from = (email: string, password: string, ip: string, ms: number) => signIn(t.db, post("/api/auth/sign-in", { email, password }, { "x-shuqiao-client-ip": ip }), () => new Date(t0 + ms));
    // 20 failures spread over many accounts (no single account reaches its own limit of 5)
    for (let i = 0; i < 20; i++) expect((await from(`spray${i % 5}@example.com`, "guess-" + i, "203.0.113.7", i * 1000)).status).toBe(401);
    expect((await from("u0@example.com", PASSWORD, "203.0.113.7", 30_000)).status).toBe(429);
    expect((await from("u0@example.com", PASSWORD, "198.51.100.1", 30_000)).status).toBe(200);
  });
});

describe("first admin", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
  });
  afterAll(async () => t?.drop());

  it("a setup token works once, within 30 minutes, only while no user exists; a weak password does not burn it", async () => {
    const now = new Date();
    const expired = await createSetupToken(t.db, new Date(now.getTime() - SETUP_TTL_MS - 1000));
    const good = await createSetupToken(t.db, now);
    const body = (token: string, password = "first-admin-pw-1") => post("/api/auth/setup", { token, email: "Boss@Example.com", name: "老板", password });
    expect((await trpc(t, "auth.me", undefined)).body.result?.data.json).toEqual({ user: null, setupRequired: true });
    expect((await setup(t.db, body(expired.token))).status).toBe(410);
    expect((await setup(t.db, body("made-up-token"))).status).toBe(410);
    const weak = await setup(t.db, body(good.token, "short"));
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: string }).error).toMatch(/至少 10/);
    const ok = await setup(t.db, body(good.token));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { email: "boss@example.com", name: "老板", role: "admin" } });
    const cookie = cookieOf(ok);
    expect((await trpc(t, "users.list", undefined, cookie)).status).toBe(200);
    // used: refused; a fresh token while a user exists: refused too
    expect((await setup(t.db, body(good.token))).status).toBe(410);
    const late = await createSetupToken(t.db);
    const again = await setup(t.db, post("/api/auth/setup", { token: late.token, email: "intruder@example.com", name: "x", password: "intruder-pw-123" }));
    expect(again.status).toBe(410);
    expect(await t.db.user.count()).toBe(1);
    expect(await t.db.auditLog.count({ where: { action: "auth.setup", actor: "boss@example.com" } })).toBe(1);
  });

  it("the headless admin is created once from the environment's e-mail and password", async () => {
    const db2 = await createTestDb("sqlite");
    try {
      expect((await ensureHeadlessAdmin(db2.db, "Ops@Example.com", "headless-pw-123")).created).toBe(true);
      expect((await ensureHeadlessAdmin(db2.db, "ops@example.com", "another-pw-1234")).created).toBe(false);
      const users = await db2.db.user.findMany();
      expect(users.map((u) => [u.email, u.role])).toEqual([["ops@example.com", "admin"]]);
      expect(await verifyPassword("headless-pw-123", users[0].passwordHash)).toBe(true);
    } finally {
      await db2.drop();
    }
  });
});

describe("audit trail of mutations", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
  });
  afterAll(async () => t?.drop());

  it("records who changed what with secrets redacted, pages newest first, and offers no way to change it", async () => {
    process.env.SHUQIAO_SECRET_KEY ??= "55".repeat(32);
    const api = createCallerFactory(appRouter)(asAdmin(t.db));
    const conn = await api.connections.create({ name: "金蝶正式", vendor: "kingdee", baseUrl: "https://erp.example.com/k3cloud/", settings: { acctId: "A1" }, secrets: { password: "Kd-Secret-2026", appSecret: "s3cr3t-app" } });
    await api.users.add({ email: "new@example.com", role: "viewer", password: "new-user-password" });
    await api.settings.update({ allowPrivateNetworks: true });
    const rows = await t.db.auditLog.findMany({ orderBy: { at: "asc" } });
    const text = JSON.stringify(rows);
    for (const secret of ["Kd-Secret-2026", "s3cr3t-app", "new-user-password"]) expect(text).not.toContain(secret);
    const created = rows.find((r) => r.action === "connections.create")!;
    expect(created).toMatchObject({ actor: "admin@test.local", actorId: "test-admin", entityType: "connections", entityId: conn.id, ok: true, ip: "127.0.0.1" });
    expect((created.details as { input: { secrets: unknown; name: string } }).input).toMatchObject({ name: "金蝶正式", secrets: REDACTED });
    expect(rows.find((r) => r.action === "users.add")?.entityType).toBe("users");
    expect(rows.find((r) => r.action === "settings.update")).toBeTruthy();

    const page1 = await api.audit.list({ limit: 2 });
    expect(page1.items.map((r) => r.action)).toEqual(["settings.update", "users.add"]);
    const page2 = await api.audit.list({ limit: 2, cursor: page1.nextCursor });
    expect(page2.items.map((r) => r.action)).toEqual(["connections.create"]);
    expect(page2.nextCursor).toBeNull();
    expect((await api.audit.list({ action: "users." })).items.map((r) => r.action)).toEqual(["users.add"]);
    expect((await api.audit.list({ entityType: "connections", entityId: conn.id })).items).toHaveLength(1);
    // append-only from the app: no procedure under audit.* changes anything
    const auditProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).filter(([p]) => p.startsWith("audit."));
    expect(auditProcedures.map(([p, d]) => [p, d._def.type])).toEqual([["audit.list", "query"]]);
  });
});

describe("audit details and entities", () => {
  it("redacts secret-like keys at any depth and caps the size", () => {
    const d = auditDetails({ name: "x", secrets: { password: "p" }, nested: { appKey: "k", accessToken: "t", list: [{ clientSecret: "s" }] }, long: "y".repeat(1000) }) as Record<string, unknown>;
    expect(JSON.stringify(d)).not.toMatch(/"p"|"k"|"t"|"s"/);
    expect(d).toMatchObject({ name: "x", secrets: REDACTED, nested: { appKey: REDACTED, accessToken: REDACTED, list: [{ clientSecret: REDACTED }] } });
    expect((d.long as string).length).toBeLessThan(320);
    const huge = auditDetails({ id: "f1", document: { nodes: Array.from({ length: 20 }, (_, i) => ({ id: "n" + i, data: { text: "z".repeat(290) } })) } });
    expect(huge).toEqual({ truncated: true, size: expect.any(Number), keys: ["id", "document"] });
    expect(JSON.stringify(huge).length).toBeLessThan(200);
  });

  it("a run's start, rerun and cancel point at the run; other mutations at their own entity", () => {
    expect(auditEntity("runEvents.start", { flowId: "f1" }, { runId: "r1", resumed: false })).toEqual({ entityType: "runs", entityId: "r1" });
    expect(auditEntity("runEvents.rerun", { runId: "r0", mode: "whole" }, { runId: "r2", parentRunId: "r0" })).toEqual({ entityType: "runs", entityId: "r2" });
    expect(auditEntity("runEvents.cancel", { runId: "r1" }, undefined)).toEqual({ entityType: "runs", entityId: "r1" });
    expect(auditEntity("schedules.set", { flowId: "f1", cron: "* * * * *" }, { ok: true })).toEqual({ entityType: "flows", entityId: "f1" });
    expect(auditEntity("flows.create", { name: "n" }, { id: "f9", version: 1 })).toEqual({ entityType: "flows", entityId: "f9" });
    expect(auditEntity("users.setRole", { id: "u1", role: "viewer" })).toEqual({ entityType: "users", entityId: "u1" });
  });
});
