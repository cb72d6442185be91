/**
 * `npm test`: every check the project has, in order — Prisma clients, lint, typecheck, unit and
 * integration tests (vitest, SQLite and PostgreSQL), build, end-to-end tests (Playwright, Debian
 * Chromium). All steps run even when one fails, so one run shows every problem; the exit code is
 * non-zero when any failed, and the last line is the combined "N passed, N failed".
 *
 *   npm test                 everything
 *   npm test -- --skip-e2e   without build and Playwright (quick loop while developing)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded } from "./build-if-needed";
import { generate } from "./prisma";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const args = process.argv.slice(2);
const skipE2e = args.includes("--skip-e2e");
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

type Step = { name: string; ok: boolean; passed: number; failed: number; ms: number };
const steps: Step[] = [];

function run(name: string, cmd: string, cmdArgs: string[], count?: () => { passed: number; failed: number }): boolean {
  console.log(`\n━━━ ${name} ━━━`);
  const t0 = Date.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit", env });
  const ok = r.status === 0;
  const c = count?.() ?? { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  steps.push({ name, ok, ...c, ms: Date.now() - t0 });
  return ok;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
console.log("━━━ prisma generate ━━━");
generate();

run("lint", bin("eslint"), ["."]);
run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);

const vitestJson = "test-results/vitest-results.json";
fs.rmSync(path.join(root, vitestJson), { force: true });
run("unit + integration (vitest)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], () => {
  const j = readJson(vitestJson);
  return j ? { passed: Number(j.numPassedTests ?? 0), failed: Number(j.numFailedTests ?? 0) + (j.success === false && !j.numFailedTests ? 1 : 0) } : { passed: 0, failed: 1 };
});

if (!skipE2e) {
  console.log("\n━━━ build ━━━");
  const t0 = Date.now();
  let built = true;
  try {
    buildIfNeeded();
  } catch {
    built = false;
  }
  steps.push({ name: "build", ok: built, passed: built ? 1 : 0, failed: built ? 0 : 1, ms: Date.now() - t0 });
  if (built) {
    fs.rmSync(path.join(root, "data", "e2e"), { recursive: true, force: true });
    fs.rmSync(path.join(root, "e2e", "artifacts"), { recursive: true, force: true });
    const e2eJson = "test-results/e2e-results.json";
    fs.rmSync(path.join(root, e2eJson), { force: true });
    run("end-to-end (playwright)", bin("playwright"), ["test"], () => {
      const s = (readJson(e2eJson)?.stats ?? null) as { expected?: number; unexpected?: number; flaky?: number } | null;
      return s ? { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0 } : { passed: 0, failed: 1 };
    });
  }
}

console.log("\n━━━ summary ━━━");
for (const s of steps) console.log(`${s.ok ? "✓" : "✗"} ${s.name.padEnd(32)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed  ${(s.ms / 1000).toFixed(1)}s`);
const passed = steps.reduce((a, s) => a + s.passed, 0);
const failed = steps.reduce((a, s) => a + s.failed, 0);
const allOk = steps.every((s) => s.ok);
console.log(`${passed} passed, ${failed + (allOk || failed ? 0 : 1)} failed`);
process.exit(allOk ? 0 : 1);
