/**
 * A secret only ever goes to the host it was entered for: moving a connection to another host
 * (protocol, port, vendor) drops its stored secrets, and a "test" against the new host carries none of
 * the old ones — checked on what a local "attacker" server actually received (path, query, headers,
 * body), with the attacker reachable (allowlisted) so nothing but the rule can save the secret.
 */
process.env.SHUQIAO_SECRET_KEY ??= "33".repeat(32);
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearAuthCache } from "@/server/connectors";
import { createTestDb, type TestDb } from "@/server/testing/db";
import { decryptSecrets, encryptSecrets, testStoredConnection, updateConnection } from "./connections";
import { setOutboundPolicy } from "@/server/auth/settings";

const OLD = { password: "Shuqiao@2026-old", sessionkey: "gy-sessionkey-old-9f3a", secret: "gy-secret-old-77c1", appSecret: "kd-appsecret-old-1b2c" };

let attacker: { url: string; port: number; seen: string[]; close(): Promise<void> };
let t: TestDb;

beforeAll(async () => {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      res.writeHead(200, { "content-type": "application/json" }).end('{"success":false,"errorCode":"-1","errorDesc":"nope"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  attacker = { url: `http://127.0.0.1:${port}`, port, seen, close: () => new Promise((r) => server.close(() => r())) };
  t = await createTestDb("sqlite");
  // the attacker is reachable: only the secret rule stands between it and the password
  await setOutboundPolicy(t.db, { allowedHosts: ["127.0.0.1"] }, "test");
});
afterAll(async () => {
  await attacker?.close();
  await t?.drop();
});

function leaked(): string[] {
  const all = attacker.seen.join("\n");
  return Object.values(OLD).filter((s) => all.includes(s) || all.includes(encodeURIComponent(s)));
}

describe("changing a connection's host", () => {
  it("Kingdee: the stored password is dropped, and the test to the new host sends nothing", async () => {
    const c = await t.db.connection.create({
      data: { name: "金蝶生产", vendor: "kingdee", baseUrl: "https://erp.example.test/k3cloud/", settings: { acctId: "A1", username: "demo", authMode: "ValidateUser" }, secretBlob: encryptSecrets({ password: OLD.password, appSecret: OLD.appSecret }) },
    });
    const { row, secretsCleared } = await updateConnection(t.db, { id: c.id, baseUrl: `${attacker.url}/k3cloud/` });
    expect(secretsCleared.sort()).toEqual(["appSecret", "password"]);
    expect(decryptSecrets(row.secretBlob)).toEqual({});
    const r = await testStoredConnection(t.db, c.id);
    expect(r).toMatchObject({ ok: false, failureType: "config" });
    expect(r.message).toContain("没有已保存的密钥");
    expect(r.message).toContain("重新填写");
    expect(attacker.seen).toEqual([]);
    expect(leaked()).toEqual([]);
  });

  it("Guanyi: the sessionkey never reaches the new host; secrets entered again for it are the only ones sent", async () => {
    clearAuthCache();
    const c = await t.db.connection.create({
      data: { name: "管易云", vendor: "guanyi", baseUrl: "http://v2.api.guanyierp.example.test/rest/erp_open", settings: { appkey: "189200" }, secretBlob: encryptSecrets({ sessionkey: OLD.sessionkey, secret: OLD.secret }) },
    });
    await updateConnection(t.db, { id: c.id, baseUrl: attacker.url });
    expect((await testStoredConnection(t.db, c.id)).ok).toBe(false);
    expect(attacker.seen).toEqual([]);
    // an edit that leaves the secrets empty ("keep") does not bring the old ones back
    await updateConnection(t.db, { id: c.id, name: "管易云-改", secrets: { sessionkey: "", secret: "" } });
    await testStoredConnection(t.db, c.id);
    expect(attacker.seen).toEqual([]);
    // the admin enters secrets for the new host: those (and only those) go there
    await updateConnection(t.db, { id: c.id, secrets: { sessionkey: "new-sk-for-this-host", secret: "new-secret-for-this-host" } });
    const r = await testStoredConnection(t.db, c.id);
    expect(r.ok).toBe(false); // the attacker answers nonsense
    expect(attacker.seen.length).toBeGreaterThan(0);
    expect(attacker.seen.join("\n")).toContain("new-sk-for-this-host");
    expect(leaked()).toEqual([]);
    expect(r.message).not.toContain("new-secret-for-this-host");
  });

  it("a port or protocol change drops secrets too; a path change on the same host keeps them; secrets sent with the move are kept", async () => {
    const mk = async (name: string, baseUrl: string) =>
      (await t.db.connection.create({ data: { name, vendor: "kingdee", baseUrl, settings: { acctId: "A1", username: "demo" }, secretBlob: encryptSecrets({ password: OLD.password }) } })).id;
    const a = await mk("p1", "http://erp.example.test/k3cloud/");
    expect((await updateConnection(t.db, { id: a, baseUrl: "http://erp.example.test:8080/k3cloud/" })).secretsCleared).toEqual(["password"]);
    const b = await mk("p2", "http://erp.example.test/k3cloud/");
    expect((await updateConnection(t.db, { id: b, baseUrl: "https://erp.example.test/k3cloud/" })).secretsCleared).toEqual(["password"]);
    const c = await mk("p3", "http://erp.example.test/k3cloud/");
    const same = await updateConnection(t.db, { id: c, baseUrl: "http://ERP.example.test:80/K3Cloud/" });
    expect(same.secretsCleared).toEqual([]);
    expect(decryptSecrets(same.row.secretBlob)).toEqual({ password: OLD.password });
    const d = await mk("p4", "http://erp.example.test/k3cloud/");
    const moved = await updateConnection(t.db, { id: d, baseUrl: "http://erp2.example.test/k3cloud/", secrets: { password: "entered-for-erp2" } });
    expect(decryptSecrets(moved.row.secretBlob)).toEqual({ password: "entered-for-erp2" });
  });
});
