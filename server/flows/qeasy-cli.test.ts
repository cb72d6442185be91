/**
 * `import-qeasy` in process: output file and report, --json, --connection/--name, and the exit code 2
 * answers for bad options, unreadable files, invalid JSON (line:column) and malformed configs (paths).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { importQeasyCommand } from "./qeasy-cli";
import { QEASY_FIXTURES_DIR } from "./qeasy-fixtures";

const fx = (name: string, file: string) => path.join(QEASY_FIXTURES_DIR, name, file);

describe("import-qeasy command", () => {
  let dir: string;
  let stdout: string;
  let stderr: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-qeasy-cmd-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    stdout = "";
    stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());

  it("--scheme rewrites _findCollection scheme ids", async () => {
    const code = await importQeasyCommand([
      "--source", fx("guanyi-trade-beatflat", "source.json"),
      "--target", fx("guanyi-trade-beatflat", "target.json"),
      "--scheme", "8c2b3f0e-5d1a-4e7b-9f3c-2a6d8e4b1c0f=vip-flow",
      "--json",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("_findCollection find FNumber from vip-flow where code={{vip_code}}");
  });

  it("writes the flow to --out and the report to stderr", async () => {
    const out = path.join(dir, "a", "flow.json");
    const code = await importQeasyCommand(["--source", fx("guanyi-shop-customer", "source.json"), "--target", fx("guanyi-shop-customer", "target.json"), "--out", out]);
    expect(code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(doc.nodes.map((n: { type: string }) => n.type)).toEqual(["source", "mapper", "target"]);
    expect(stderr).toMatch(/\[假设 assumed\] target\.operation\.rows/);
    expect(stderr).toMatch(/已导入 \(imported\) → .*flow\.json/);
    expect(stdout).toBe("");
  });

  it("--json prints one line with the document, counts and report; --connection and --name apply", async () => {
    const code = await importQeasyCommand([
      "--source", fx("kingdee-dept-supplier", "source.json"),
      "--target", fx("kingdee-dept-supplier", "target.json"),
      "--mapping", fx("kingdee-dept-supplier", "mapping.json"),
      "--connection", "kingdee=生产-金蝶",
      "--name=部门转供应商",
      "--json",
    ]);
    expect(code).toBe(0);
    const res = JSON.parse(stdout.trim());
    expect(res.ok).toBe(true);
    expect(res.document.name).toBe("部门转供应商");
    expect(res.document.nodes[0].data.connectionId).toBe("生产-金蝶");
    expect(res.counts.assumed).toBeGreaterThan(0);
    expect(res.report.some((r: { path: string }) => r.path === "mapping.FDescription")).toBe(true);
  });

  it("exit 2: missing options, unknown options, bad --connection, unreadable file, invalid JSON, malformed config", async () => {
    expect(await importQeasyCommand(["--source", "x.json"])).toBe(2);
    expect(stderr).toMatch(/--source 和 --target/);
    expect(await importQeasyCommand(["--source", "a", "--target", "b", "--frobnicate"])).toBe(2);
    expect(stderr).toMatch(/未知选项 --frobnicate/);
    expect(await importQeasyCommand(["--source", "a", "--target", "b", "--connection", "sap=x"])).toBe(2);
    expect(await importQeasyCommand(["--source", "a", "--target", "b", "--scheme", "abc"])).toBe(2);
    expect(stderr).toMatch(/--scheme 应为/);
    expect(await importQeasyCommand(["--source", path.join(dir, "none.json"), "--target", "b"])).toBe(2);
    expect(stderr).toMatch(/none\.json: 无法读取来源配置文件 \(cannot read the source config file\)/);
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, '{\n  "api": "gy.erp.shop.get",\n  "id" "id"\n}');
    expect(await importQeasyCommand(["--source", broken, "--target", fx("guanyi-shop-customer", "target.json")])).toBe(2);
    expect(stderr).toMatch(/broken\.json:3:\d+: JSON 格式错误/);
    const malformed = path.join(dir, "malformed.json");
    fs.writeFileSync(malformed, JSON.stringify({ api: "batchSave", request: [{ field: "FName", parser: 5 }] }));
    stdout = "";
    expect(await importQeasyCommand(["--source", fx("guanyi-shop-customer", "source.json"), "--target", malformed, "--json"])).toBe(2);
    const res = JSON.parse(stdout.trim());
    expect(res.ok).toBe(false);
    expect(res.issues.map((i: { path: string }) => i.path)).toContain("target.request.0.parser");
  });
});
