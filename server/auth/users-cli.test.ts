/**
 * `npm run cli -- users …` as the operator runs it: a child process on a real SQLite file, the password
 * on stdin; the users it creates can sign in through the real handler, disabling revokes, and every
 * change is in the audit log as "cli".
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/server/db";
import { signIn } from "./http";
import { createSession, resolveSession } from "./sessions";

const ROOT = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-users-cli-"));
const url = `file:${path.join(dir, "db.sqlite")}`;
const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: url, SHUQIAO_SECRET_KEY: "33".repeat(32), NO_COLOR: "1" };

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), "users", ...args], { cwd: ROOT, env, encoding: "utf8", input: input ?? "" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stdout.trim().split("\n").pop() ?? "" };
}

describe("cli users", () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("adds from stdin, lists, refuses bad input with exit 2, disables (revoking sessions) — all audited as cli", async () => {
    const add = cli(["add", "--email", "Ops@Example.com", "--role", "admin", "--name", "运维", "--password-stdin", "--json"], "ops-password-2026\n");
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    expect(JSON.parse(add.last)).toMatchObject({ ok: true, user: { email: "ops@example.com", role: "admin", name: "运维" } });
    expect(cli(["add", "--email", "viewer@example.com", "--role", "viewer", "--password-stdin"], "viewer-password-1").code).toBe(0);

    // bad input: weak password, duplicate, bad role, password not from stdin
    const weak = cli(["add", "--email", "w@example.com", "--role", "viewer", "--password-stdin"], "short\n");
    expect([weak.code, weak.stderr]).toEqual([2, expect.stringMatching(/至少 10/)]);
    expect(cli(["add", "--email", "ops@example.com", "--role", "viewer", "--password-stdin"], "another-password-1").code).toBe(2);
    expect(cli(["add", "--email", "x@example.com", "--role", "root", "--password-stdin"], "another-password-1").stderr).toMatch(/--role/);
    expect(cli(["add", "--email", "x@example.com", "--role", "viewer"]).stderr).toMatch(/--password-stdin/);

    const list = cli(["list", "--json"]);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.last) as { users: { email: string; role: string; disabled: boolean }[] }).users.map((u) => [u.email, u.role, u.disabled])).toEqual([
      ["ops@example.com", "admin", false],
      ["viewer@example.com", "viewer", false],
    ]);
    expect(cli(["list"]).stdout).toMatch(/ops@example\.com\s+admin/);

    const db = createDb(url);
    try {
      // the password from stdin signs in (the trailing newline was not part of it)
      const req = new Request("http://localhost/api/auth/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "ops@example.com", password: "ops-password-2026" }) });
      expect((await signIn(db, req)).status).toBe(200);
      const viewer = await db.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } });
      const { token } = await createSession(db, viewer.id);
      expect(await resolveSession(db, token)).not.toBeNull();

      const dis = cli(["disable", "viewer@example.com"]);
      expect(dis.code).toBe(0);
      expect(dis.stdout).toMatch(/已停用/);
      expect(await resolveSession(db, token)).toBeNull();
      expect(cli(["disable", "nobody@example.com"]).code).toBe(2);
      // the last active admin cannot be disabled
      expect(cli(["disable", "ops@example.com"]).code).toBe(2);

      const audit = await db.auditLog.findMany({ where: { actor: "cli" }, orderBy: { at: "asc" } });
      expect(audit.map((a) => a.action)).toEqual(["users.add", "users.add", "users.disable"]);
      expect(JSON.stringify(audit)).not.toMatch(/password-2026|viewer-password-1/);
    } finally {
      await db.$disconnect();
    }
  }, 120_000); // several CLI processes, each starting tsx and opening the database
});
