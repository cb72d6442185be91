/**
 * Builds the Next.js app when the sources changed since the last build (or it never ran).
 *
 * Why: `npm start` on a fresh clone must just work, and a second start must not spend a minute
 * rebuilding what is already built. The stamp is a content hash of everything the build reads.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
// tsconfig.json is left out: `next build` with a custom NEXT_DIST_DIR rewrites it, which would force rebuilds.
const INPUTS = ["app", "components", "server", "public", "prisma/schema.base.prisma", "package.json", "next.config.ts", "proxy.ts", "postcss.config.mjs", "instrumentation.ts"];
const SKIP = /(\.test\.tsx?$|\/bench\/|\/node_modules\/|\.md$)/;

function walk(p: string, out: string[]): void {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), out);
  else if (!SKIP.test(p)) out.push(p);
}

export function sourceHash(): string {
  const files: string[] = [];
  for (const i of INPUTS) walk(path.join(root, i), files);
  const h = createHash("sha256");
  for (const f of files) h.update(path.relative(root, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return h.digest("hex");
}

export function buildIfNeeded(log: (m: string) => void = console.log): void {
  const distDir = path.join(root, process.env.NEXT_DIST_DIR || ".next");
  const stampFile = path.join(distDir, "shuqiao-source-hash");
  const hash = sourceHash();
  const built = fs.existsSync(path.join(distDir, "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === hash;
  if (built) return;
  log("构建应用中（首次启动或代码已更新，约 1 分钟）… (building the app)");
  execFileSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  fs.writeFileSync(stampFile, hash);
}

if (require.main === module) buildIfNeeded();
