/**
 * Memory stays bounded when a vendor answers with a huge body: a child process (tsx) reads one page
 * from a local server streaming 200 MB of valid JSON, generated on the fly; the read must stop at the
 * 32 MB limit with the limit error, and the child's peak RSS must stay under a ceiling.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BODY_BYTES = 200 * 1024 * 1024;
const RSS_CEILING_MB = 300;

it("a 200 MB reply is cut at the 32 MB limit; the reader's peak RSS stays under 300 MB", { timeout: 120_000 }, async () => {
  let sent = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }); // no Content-Length: only streaming can catch it
    const record = Buffer.from(`{"id":1,"code":"G000001","name":"${"店铺".repeat(200)}"},`);
    const head = Buffer.from('{"success":true,"total":1,"shops":[');
    res.write(head);
    sent = head.length;
    const pump = () => {
      while (sent < BODY_BYTES) {
        sent += record.length;
        if (!res.write(record)) return void res.once("drain", pump);
      }
      res.end('{"id":0}]}');
    };
    res.on("error", () => undefined);
    pump();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/connectors/testing/read-big-body.ts"), url], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`child exited ${code}: ${stderr}`))));
    });
    const result = JSON.parse(out.trim().split("\n").pop() as string) as { records: number; error?: { message: string; failureType: string; attempts: number }; peakRssMb: number };
    console.log(`bounded-memory: peak RSS ${result.peakRssMb} MB, server wrote ${Math.round(sent / 1024 / 1024)} MB of ${BODY_BYTES / 1024 / 1024} MB`);
    expect(result.records).toBe(0);
    expect(result.error?.failureType).toBe("config");
    expect(result.error?.attempts).toBe(1);
    expect(result.error?.message).toMatch(/^管易云的响应超过 32 MB 上限（guanyi\.gy\.erp\.shop\.get，HTTP 200），已在读到上限时中止/);
    expect(result.peakRssMb).toBeLessThan(RSS_CEILING_MB);
    expect(sent).toBeLessThan(BODY_BYTES); // the reader hung up early
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
