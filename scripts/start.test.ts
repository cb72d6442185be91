/**
 * Bad configuration stops `npm start` with one sentence saying what to fix — not a stack trace.
 * Runs the real start script as a child process with broken settings.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      env: { ...process.env, SHUQIAO_SANDBOX: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => (stdout += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

function expectOneSentence(stderr: string) {
  const lines = stderr.split("\n").filter((l) => l.trim() && !l.includes("npm warn"));
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe("npm start refuses bad configuration clearly", () => {
  it("an unreachable DATABASE_URL", async () => {
    const r = await start({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/nowhere", DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sq-")) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/无法连接数据库 127\.0\.0\.1:1\/nowhere.*DATABASE_URL/);
    expectOneSentence(r.stderr);
  });

  it("a DATABASE_URL of an unknown kind", async () => {
    const r = await start({ DATABASE_URL: "mysql://root@localhost/db" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATABASE_URL.*postgres:\/\//);
    expectOneSentence(r.stderr);
  });

  it("an unwritable DATA_DIR", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sq-")), "a-file");
    fs.writeFileSync(file, "x"); // a directory cannot be created below a regular file, even as root
    const r = await start({ DATA_DIR: path.join(file, "data") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATA_DIR=.*不可写/);
    expectOneSentence(r.stderr);
  });

  it("a port already in use", async () => {
    const srv = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const r = await start({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sq-")) });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`端口 ${port} 已被占用`);
      expect(r.stderr).toContain("PORT=");
      expectOneSentence(r.stderr);
    } finally {
      srv.close();
    }
  });

  it("a PORT that is not a number", async () => {
    const r = await start({ PORT: "eighty" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT/);
    expectOneSentence(r.stderr);
  });
});
