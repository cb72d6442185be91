/**
 * `import-qeasy`: the command-line face of the Qeasy importer.
 *
 *   npm run cli -- import-qeasy --source S.json --target T.json [--mapping M.json] [--out flow.json]
 *                              [--name 方案名] [--connection guanyi=生产-管易云 …] [--scheme <qeasy id>=<flow id> …] [--json]
 *
 * Why this exists: integrators convert a folder of Qeasy configs in a script and then `run` or
 * `validate` the resulting flow file. The flow document goes to --out (or stdout); the report goes to
 * stderr one line per entry (with --json: one JSON line `{ok, out?, document?, report}` on stdout).
 * Exit codes: 0 imported (the report may still list things to fix), 2 bad input (missing option,
 * unreadable file, invalid JSON with line:column, malformed Qeasy config with JSON paths).
 */
import fs from "node:fs";
import path from "node:path";
import { importQeasy, type QeasyReportEntry, type QeasyVendor } from "./qeasy-import";
import { QeasyImportError } from "./qeasy-schema";

const USAGE = `用法 (usage): import-qeasy --source S.json --target T.json [--mapping M.json] [--out flow.json] [--name 名称] [--connection guanyi|dingtalk|kingdee=连接名]… [--scheme 轻易云方案ID=数桥方案ID]… [--json]`;

class Bad extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function parse(argv: string[]) {
  const valued = new Set(["--source", "--target", "--mapping", "--out", "--name", "--connection", "--scheme"]);
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Bad(`多余的参数「${a}」(unexpected argument)\n${USAGE}`);
    const eq = a.indexOf("=");
    const k = eq > 0 ? a.slice(0, eq) : a;
    let v: string | undefined = eq > 0 ? a.slice(eq + 1) : undefined;
    if (valued.has(k) && v === undefined) {
      v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Bad(`${k} 需要一个值 (${k} needs a value)\n${USAGE}`);
    } else if (!valued.has(k) && k !== "--json" && k !== "--help") throw new Bad(`未知选项 ${k} (unknown option)\n${USAGE}`);
    flags.set(k, [...(flags.get(k) ?? []), v ?? "true"]);
  }
  return flags;
}

function readJson(file: string, zh: string, en: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Bad(`${file}: 无法读取${zh}文件 (cannot read the ${en} file): ${(e as Error).message}`, { file });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = "";
    if (m) {
      const before = text.slice(0, Number(m[1]));
      where = `:${before.split("\n").length}:${Number(m[1]) - before.lastIndexOf("\n")}`;
    }
    throw new Bad(`${file}${where}: JSON 格式错误 (invalid JSON): ${msg}`, { file });
  }
}

function reportLine(r: QeasyReportEntry): string {
  const tag = { untranslated: "未翻译", assumed: "假设", ignored: "忽略", problem: "问题" }[r.level];
  return `[${tag} ${r.level}] ${r.path}: ${r.message}`;
}

/** Runs `import-qeasy` with the arguments after the command name; returns the exit code. */
export async function importQeasyCommand(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const write = (s: string) => process.stdout.write(s + "\n");
  try {
    const flags = parse(argv);
    if (flags.has("--help")) {
      write(USAGE);
      return 0;
    }
    const one = (k: string) => flags.get(k)?.[flags.get(k)!.length - 1];
    const sourceFile = one("--source");
    const targetFile = one("--target");
    if (!sourceFile || !targetFile) throw new Bad(`需要 --source 和 --target (both --source and --target are required)\n${USAGE}`);
    const connections: Partial<Record<QeasyVendor, string>> = {};
    for (const c of flags.get("--connection") ?? []) {
      const m = /^(guanyi|dingtalk|kingdee)=(.+)$/.exec(c);
      if (!m) throw new Bad(`--connection 应为 guanyi|dingtalk|kingdee=连接名，实际为「${c}」(expected vendor=connection name)`);
      connections[m[1] as QeasyVendor] = m[2];
    }
    const schemes: Record<string, string> = {};
    for (const c of flags.get("--scheme") ?? []) {
      const m = /^([^=\s]+)=([\p{L}\p{N}_$.-]+)$/u.exec(c);
      if (!m) throw new Bad(`--scheme 应为 轻易云方案ID=数桥方案ID，实际为「${c}」(expected qeasySchemeId=shuqiaoFlowId)`);
      schemes[m[1]] = m[2];
    }
    const mappingFile = one("--mapping");
    const input = {
      source: readJson(sourceFile, "来源配置", "source config"),
      target: readJson(targetFile, "目标配置", "target config"),
      mapping: mappingFile ? readJson(mappingFile, "映射", "mapping") : undefined,
      name: one("--name"),
      connections,
      schemes,
    };
    const { document, report } = await importQeasy(input);
    const out = one("--out");
    if (out) {
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, JSON.stringify(document, null, 2) + "\n");
    }
    const counts = report.reduce<Record<string, number>>((a, r) => ({ ...a, [r.level]: (a[r.level] ?? 0) + 1 }), {});
    if (json) write(JSON.stringify({ ok: true, ...(out ? { out } : { document }), counts, report }));
    else {
      if (!out) write(JSON.stringify(document, null, 2));
      for (const r of report) process.stderr.write(reportLine(r) + "\n");
      process.stderr.write(
        `已导入 (imported)${out ? ` → ${out}` : ""}：${document.nodes.map((n) => n.type).join(" → ")}；` +
          `未翻译 ${counts.untranslated ?? 0} · 假设 ${counts.assumed ?? 0} · 忽略 ${counts.ignored ?? 0} · 问题 ${counts.problem ?? 0}\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof Bad || e instanceof QeasyImportError) {
      const issues = e instanceof QeasyImportError ? e.issues : undefined;
      if (json) write(JSON.stringify({ ok: false, error: e.message, ...(issues ? { issues } : {}), ...(e instanceof Bad ? e.extra : {}) }));
      else process.stderr.write(e.message + "\n");
      return 2;
    }
    throw e;
  }
}
