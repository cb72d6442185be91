/**
 * First start: with no users `npm start` prints a one-time setup link that the setup endpoint accepts;
 * with SHUQIAO_ADMIN_EMAIL + SHUQIAO_ADMIN_PASSWORD it creates that admin once and prints no link.
 * The server listens on loopback unless HOST says otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, readEnv } from "@/server/env";
import { createTestDb, type TestDb } from "@/server/testing/db";
import { displayHost, firstStart } from "./first-start";
import { setup } from "./http";

describe("first start", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
  });
  afterAll(async () => t?.drop());

  it("prints a setup link whose token creates the first admin once", async () => {
    const { message } = await firstStart(t.db, { host: "127.0.0.1", port: 3000 });
    expect(message).toMatch(/^首次使用：打开 http:\/\/127\.0\.0\.1:3000\/setup\?token=[A-Za-z0-9_-]{20,} 创建管理员（30 分钟内有效）$/);
    const token = new URL(message!.split(" ")[1]).searchParams.get("token")!;
    const req = () => new Request("http://127.0.0.1:3000/api/auth/setup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, email: "first@example.com", name: "首位", password: "first-admin-2026" }) });
    expect((await setup(t.db, req())).status).toBe(200);
    expect((await setup(t.db, req())).status).toBe(410);
    // users exist now: no link any more
    expect((await firstStart(t.db, { host: "0.0.0.0", port: 3000 })).message).toBeNull();
  });

  it("creates the headless admin once (idempotent across restarts), audited as system", async () => {
    const t2 = await createTestDb("sqlite");
    try {
      const opts = { host: "127.0.0.1", port: 3000, adminEmail: "admin@e2e.local", adminPassword: "Shuqiao-e2e-2026" };
      expect((await firstStart(t2.db, opts)).message).toMatch(/admin@e2e\.local/);
      expect((await firstStart(t2.db, opts)).message).toBeNull();
      expect(await t2.db.user.findMany({ select: { email: true, role: true } })).toEqual([{ email: "admin@e2e.local", role: "admin" }]);
      expect(await t2.db.setupToken.count()).toBe(0);
      expect(await t2.db.auditLog.count({ where: { actor: "system", action: "users.add" } })).toBe(1);
    } finally {
      await t2.drop();
    }
  });

  it("shows a wildcard listen address as localhost", () => {
    expect(displayHost("0.0.0.0")).toBe("localhost");
    expect(displayHost("::1")).toBe("[::1]");
  });
});

describe("configuration", () => {
  const env = (v: Record<string, string>) => readEnv(v as unknown as NodeJS.ProcessEnv);
  it("listens on loopback by default", () => {
    expect(env({}).HOST).toBe("127.0.0.1");
    expect(env({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
  });
  it("needs both admin variables, a real e-mail and a 10-character password", () => {
    expect(env({ SHUQIAO_ADMIN_EMAIL: "a@b.c", SHUQIAO_ADMIN_PASSWORD: "long-enough-1" }).SHUQIAO_ADMIN_EMAIL).toBe("a@b.c");
    expect(() => env({ SHUQIAO_ADMIN_EMAIL: "a@b.c" })).toThrow(/配置错误 SHUQIAO_ADMIN_PASSWORD: .*同时设置/);
    expect(() => env({ SHUQIAO_ADMIN_PASSWORD: "long-enough-1" })).toThrow(/SHUQIAO_ADMIN_EMAIL/);
    expect(() => env({ SHUQIAO_ADMIN_EMAIL: "a@b.c", SHUQIAO_ADMIN_PASSWORD: "short" })).toThrow(ConfigError);
    expect(() => env({ SHUQIAO_ADMIN_EMAIL: "nope", SHUQIAO_ADMIN_PASSWORD: "long-enough-1" })).toThrow(/必须是邮箱地址/);
  });
});
