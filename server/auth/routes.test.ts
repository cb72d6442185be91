/**
 * The route files Next serves (app/api/auth/*, app/api/trpc, app/api/health), called with real Requests
 * exactly as Next calls them, on the process-wide database (pointed at a fresh SQLite file): the wiring
 * from cookie to session to role holds end to end, and users management works through the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/server/testing/db";
import { addUser } from "./users";

let t: TestDb;
const previousUrl = process.env.DATABASE_URL;
let routes: {
  signIn: (r: Request) => Promise<Response>;
  signOut: (r: Request) => Promise<Response>;
  trpc: (r: Request) => Promise<Response>;
  health: () => Response;
};

// a browser on the app itself sends its Origin (mutations without one are refused as cross-site)
const json = (body: unknown, cookie?: string) => ({ method: "POST", headers: { "content-type": "application/json", origin: "http://localhost", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });

describe("route files", () => {
  beforeAll(async () => {
    t = await createTestDb("sqlite");
    process.env.DATABASE_URL = t.url; // read by server/env.ts on the first db() of this process
    await addUser(t.db, { email: "root@example.com", role: "admin", password: "root-password-1" });
    routes = {
      signIn: (await import("@/app/api/auth/sign-in/route")).POST,
      signOut: (await import("@/app/api/auth/sign-out/route")).POST,
      trpc: (await import("@/app/api/trpc/[trpc]/route")).POST as unknown as (r: Request) => Promise<Response>,
      health: (await import("@/app/api/health/route")).GET,
    };
  });
  afterAll(async () => {
    const { db } = await import("@/server/db");
    await db().$disconnect();
    await t?.drop();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  });

  it("health is public and says only ok", async () => {
    expect(await routes.health().json()).toEqual({ ok: true });
  });

  it("signs in, manages users through tRPC with the cookie, signs out", async () => {
    const res = await routes.signIn(new Request("http://localhost/api/auth/sign-in", json({ email: "root@example.com", password: "root-password-1" })));
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    const call = (path: string, input: unknown, c?: string) => routes.trpc(new Request(`http://localhost/api/trpc/${path}`, json({ json: input }, c)));

    expect((await call("users.add", { email: "ed@example.com", role: "editor", password: "short" }, cookie)).status).toBe(400);
    const added = await call("users.add", { email: "ed@example.com", name: "Ed", role: "editor", password: "editor-password-1" }, cookie);
    expect(added.status).toBe(200);
    const ed = ((await added.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
    expect((await call("users.setRole", { id: ed.id, role: "viewer" }, cookie)).status).toBe(200);
    expect((await call("users.resetPassword", { id: ed.id, password: "new-password-123" }, cookie)).status).toBe(200);
    const edIn = await routes.signIn(new Request("http://localhost/api/auth/sign-in", json({ email: "ed@example.com", password: "new-password-123" })));
    expect(await edIn.json()).toMatchObject({ user: { role: "viewer" } });
    const edCookie = edIn.headers.get("set-cookie")!.split(";")[0];
    expect((await call("flows.create", { name: "x" }, edCookie)).status).toBe(403);
    expect((await call("flows.create", { name: "x" })).status).toBe(401);

    const out = await routes.signOut(new Request("http://localhost/api/auth/sign-out", { method: "POST", headers: { cookie } }));
    expect(out.status).toBe(200);
    const list = (c: string) => routes.trpc(new Request("http://localhost/api/trpc/users.list", { headers: { cookie: c } }));
    expect((await list(edCookie)).status).toBe(403);
    expect((await list(cookie)).status).toBe(401);
    const actions = (await t.db.auditLog.findMany({ orderBy: { at: "asc" } })).map((a) => `${a.action}:${a.ok}`);
    expect(actions).toEqual(["auth.sign_in:true", "users.add:false", "users.add:true", "users.setRole:true", "users.resetPassword:true", "auth.sign_in:true", "flows.create:false", "auth.sign_out:true"]);
  });
});
