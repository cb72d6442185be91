/**
 * Connections router against a real SQLite database (and PostgreSQL when present) and the vendor
 * simulators over HTTP: secrets are write-only (never returned, kept when an edit leaves them empty,
 * encrypted at rest), sandbox rows are protected, and "test" reports success or the vendor's message.
 */
process.env.SHUQIAO_SECRET_KEY ??= "22".repeat(32);
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { startSimulators, type Simulators } from "../../testing/simulators";
import { ensureSandboxConnections } from "../../runs/connections";
import { asAdmin } from "@/server/testing/auth";
import { setOutboundPolicy } from "@/server/auth/settings";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();

let sims: Simulators;
beforeAll(async () => {
  sims = await startSimulators();
});
afterAll(async () => sims?.close());

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`connections on ${provider}`, () => {
    let t: TestDb;
    let api: ReturnType<typeof createCaller>;
    beforeAll(async () => {
      t = await createTestDb(provider);
      // the simulators listen on 127.0.0.1: allowed the way an admin allows an internal host
      await setOutboundPolicy(t.db, { allowedHosts: ["127.0.0.1"] }, "test");
      api = createCaller(asAdmin(t.db));
    });
    afterAll(async () => t?.drop());

    it("creates a connection whose secrets are never returned and are encrypted at rest", async () => {
      const c = await api.connections.create({
        name: "金蝶生产",
        vendor: "kingdee",
        baseUrl: sims.kingdee.url + "/k3cloud/",
        settings: { acctId: sims.kingdee.credentials.acctId, username: sims.kingdee.credentials.username, authMode: "ValidateUser" },
        secrets: { password: sims.kingdee.credentials.password },
      });
      expect(c.secretKeys).toEqual(["password"]);
      expect(JSON.stringify(c)).not.toContain(sims.kingdee.credentials.password);
      const list = await api.connections.list();
      expect(JSON.stringify(list)).not.toContain(sims.kingdee.credentials.password);
      expect(JSON.stringify(list)).not.toContain("secretBlob\":\"v1");
      const row = await t.db.connection.findUnique({ where: { id: c.id } });
      expect(row?.secretBlob).toMatch(/^v1:/);
      expect(row?.secretBlob).not.toContain(sims.kingdee.credentials.password);

      const ok = await api.connections.test({ id: c.id });
      expect(ok.ok).toBe(true);
      expect(ok.message).toMatch(/金蝶云星空连接成功/);
    });

    it("keeps a secret when an edit leaves it empty, replaces it when given, and reports the vendor's message on failure", async () => {
      const c = await api.connections.create({
        name: "管易云测试",
        vendor: "guanyi",
        baseUrl: sims.guanyi.url,
        settings: { appkey: sims.guanyi.credentials.appkey },
        secrets: { sessionkey: sims.guanyi.credentials.sessionkey, secret: sims.guanyi.credentials.secret },
      });
      expect((await api.connections.test({ id: c.id })).ok).toBe(true);
      const renamed = await api.connections.update({ id: c.id, name: "管易云正式", secrets: { secret: "" } });
      expect(renamed.name).toBe("管易云正式");
      expect(renamed.secretKeys.sort()).toEqual(["secret", "sessionkey"]);
      expect((await api.connections.test({ id: c.id })).ok).toBe(true);
      await api.connections.update({ id: c.id, secrets: { secret: "wrong-secret-0000" } });
      const bad = await api.connections.test({ id: c.id });
      expect(bad.ok).toBe(false);
      expect(bad.message).toMatch(/签名|sign/i);
      expect(bad.message).not.toContain("wrong-secret-0000");
    });

    it("rejects bad input with a message naming the field, and protects sandbox connections", async () => {
      await expect(api.connections.create({ name: "x", vendor: "guanyi", baseUrl: "ftp://nope" })).rejects.toThrow(/http/);
      await expect(api.connections.create({ name: " ", vendor: "guanyi", baseUrl: "http://a" })).rejects.toThrow(/名称/);
      const ids = await ensureSandboxConnections(t.db, sims);
      const list = await api.connections.list();
      const sb = list.find((c) => c.id === ids.kingdee);
      expect(sb?.sandbox).toBe(true);
      expect(sb?.secretKeys.length).toBeGreaterThan(0);
      await expect(api.connections.update({ id: ids.kingdee, name: "x" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      await expect(api.connections.delete({ id: ids.kingdee })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect((await api.connections.test({ id: ids.dingtalk })).ok).toBe(true);
      expect((await api.connections.vendors()).map((v) => v.vendor)).toEqual(["guanyi", "dingtalk", "kingdee", "http"]);
    });

    it("deletes a connection", async () => {
      const c = await api.connections.create({ name: "临时", vendor: "http", baseUrl: "http://127.0.0.1:9" });
      await api.connections.delete({ id: c.id });
      expect((await api.connections.list()).find((x) => x.id === c.id)).toBeUndefined();
      await expect(api.connections.delete({ id: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
}
