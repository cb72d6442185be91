/**
 * The CLI's contract for bad input: a message naming the file, the path and the problem, exit code 2;
 * `--json` prints one JSON line last on stdout.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-cli-"));
const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`, SHUQIAO_SECRET_KEY: "33".repeat(32), NO_COLOR: "1" };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli.ts"), ...args], { cwd: ROOT, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stdout.trim().split("\n").pop() ?? "" };
}

describe("cli input errors", () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("invalid JSON: file, line and column, exit 2", () => {
    const f = path.join(dir, "broken.json");
    fs.writeFileSync(f, '{\n  "schemaVersion": 1,\n  "nodes": [,]\n}');
    const r = cli("validate", f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3:\\d+: JSON 格式错误`));
  });

  it("schema problems and graph problems: every path, exit 2, --json one line", () => {
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/guanyi-shops-to-kingdee-customers.json"), "utf8"));
    delete doc.nodes[0].data.apiId;
    // a second layer at once: the mapper's fields are emptied (a schema problem no longer hides it)
    const mapper = doc.nodes.findIndex((n: { type: string }) => n.type === "mapper");
    doc.nodes[mapper].data.fields = [];
    const f = path.join(dir, "bad.json");
    fs.writeFileSync(f, JSON.stringify(doc));
    const r = cli("validate", f, "--json");
    expect(r.code).toBe(2);
    const out = JSON.parse(r.last) as { ok: boolean; problems: { path: string }[] };
    expect(out.ok).toBe(false);
    expect(out.problems.map((p) => p.path)).toContain("nodes.0.data.apiId");
    expect(out.problems.map((p) => p.path)).toContain(`nodes.${mapper}.data.fields`);
    const missing = cli("run", path.join(dir, "nope.json"), "--json");
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.last).error).toMatch(/nope\.json: 无法读取文件/);
  });

  it("a valid example validates", () => {
    const r = cli("validate", path.join(ROOT, "examples/dingtalk-pettycash-to-kingdee.json"), "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.last)).toMatchObject({ ok: true, source: "dingtalk.processinstance", target: "kingdee.BatchSave" });
  });

  it("export-qeasy writes Qeasy source + target that import-qeasy reads back; an unknown id or a missing --out-dir is exit 2", () => {
    const out = path.join(dir, "qeasy-out");
    const r = cli("export-qeasy", path.join(ROOT, "examples/guanyi-shops-to-kingdee-customers.json"), "--out-dir", out, "--json");
    expect(r.code).toBe(0);
    const res = JSON.parse(r.last) as { ok: boolean; files: { source: string; target: string; report: string } };
    expect(res.ok).toBe(true);
    const source = JSON.parse(fs.readFileSync(path.join(out, "source.json"), "utf8"));
    expect(source.api).toBe("gy.erp.shop.get");
    expect(JSON.parse(fs.readFileSync(path.join(out, "target.json"), "utf8")).api).toBe("batchSave");
    expect(Array.isArray(JSON.parse(fs.readFileSync(res.files.report, "utf8")))).toBe(true);
    const back = cli("import-qeasy", "--source", path.join(out, "source.json"), "--target", path.join(out, "target.json"), "--json");
    expect(back.code).toBe(0);
    const doc = (JSON.parse(back.last) as { document: { nodes: { type: string; data: { apiId?: string; formId?: string } }[] } }).document;
    expect(doc.nodes.find((n) => n.type === "source")?.data.apiId).toBe("guanyi.gy.erp.shop.get");
    expect(doc.nodes.find((n) => n.type === "target")?.data.formId).toBe("BD_Customer");

    expect(cli("export-qeasy", "no-such-flow-id", "--out-dir", out, "--json").code).toBe(2);
    expect(cli("export-qeasy", path.join(ROOT, "examples/guanyi-shops-to-kingdee-customers.json")).code).toBe(2);
  });
});
