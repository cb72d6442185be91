/**
 * Prisma chores: render the two provider schemas from prisma/schema.base.prisma, generate both clients,
 * create migrations (developers) and apply them (`deploy`, on every start and in tests).
 *
 * Why a script: one model source must serve SQLite and PostgreSQL, and the CLI needs DATABASE_URL and
 * CHECKPOINT_DISABLE set every time (STACK.md). Usage:
 *   tsx scripts/prisma.ts generate            render + generate both clients (skipped when unchanged)
 *   tsx scripts/prisma.ts deploy [url]        apply migrations to DATABASE_URL / url (default: SQLite in DATA_DIR)
 *   tsx scripts/prisma.ts migrate <name>      write a new migration for both providers from the schema diff
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
export type Provider = "sqlite" | "postgres";
const PROVIDERS: Provider[] = ["sqlite", "postgres"];
/** the rendered schema as of the newest migration, the starting point of the next diff */
const SNAPSHOT = "schema-at-last-migration.prisma";

function header(provider: Provider): string {
  return [
    "// GENERATED from prisma/schema.base.prisma by scripts/prisma.ts — do not edit.",
    "generator client {",
    '  provider     = "prisma-client"',
    '  engineType   = "client"',
    `  output       = "../generated/${provider}"`,
    '  moduleFormat = "esm"',
    "}",
    "",
    "datasource db {",
    `  provider = "${provider === "sqlite" ? "sqlite" : "postgresql"}"`,
    '  url      = env("DATABASE_URL")',
    "}",
    "",
  ].join("\n");
}

export function renderSchemas(): boolean {
  const base = fs.readFileSync(path.join(root, "prisma", "schema.base.prisma"), "utf8");
  let changed = false;
  for (const p of PROVIDERS) {
    const file = path.join(root, "prisma", p, "schema.prisma");
    const text = header(p) + base;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      fs.writeFileSync(file, text);
      changed = true;
    }
  }
  return changed;
}

function placeholderUrl(p: Provider): string {
  return p === "sqlite" ? "file:" + path.join(root, "data", ".prisma-cli.db") : "postgres://postgres@127.0.0.1:5432/postgres";
}

function cli(args: string[], url: string, opts: { quiet?: boolean } = {}): string {
  return execFileSync(prismaBin, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
}

export function generate(force = false): void {
  renderSchemas();
  const base = fs.readFileSync(path.join(root, "prisma", "schema.base.prisma"));
  const stamp = createHash("sha256").update(base).update(header("sqlite")).digest("hex");
  const stampFile = path.join(root, "prisma", "generated", ".stamp");
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return;
  for (const p of PROVIDERS) cli(["generate", "--schema", `prisma/${p}/schema.prisma`], placeholderUrl(p), { quiet: true });
  fs.writeFileSync(stampFile, stamp);
}

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

/** Applies pending migrations; throws with the CLI's own output on failure. */
export function deploy(url: string): void {
  try {
    cli(["migrate", "deploy"], url, { quiet: true });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(((err.stderr ?? "") + (err.stdout ?? "")).trim() || err.message);
  }
}

/** Writes prisma/<provider>/migrations/<timestamp>_<name>/migration.sql from the diff of applied migrations to the schema. */
function migrate(name: string): void {
  renderSchemas();
  // the SQLite placeholder database lives in data/, which a fresh clone does not have yet
  fs.mkdirSync(path.join(root, "data"), { recursive: true });
  const ts = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const p of PROVIDERS) {
    const dir = path.join(root, "prisma", p, "migrations");
    fs.mkdirSync(dir, { recursive: true });
    const hasMigrations = fs.readdirSync(dir).some((d) => fs.existsSync(path.join(dir, d, "migration.sql")));
    // Diff from the schema as of the last migration (a snapshot kept beside the migrations): replaying
    // migrations into a shadow database fails on SQLite here (P3006, see STACK.md) and needs no database.
    const snapshot = path.join(dir, SNAPSHOT);
    const from = fs.existsSync(snapshot)
      ? ["--from-schema-datamodel", path.relative(root, snapshot)]
      : hasMigrations
        ? ["--from-migrations", `prisma/${p}/migrations`]
        : ["--from-empty"];
    const sql = cli(["migrate", "diff", ...from, "--to-schema-datamodel", `prisma/${p}/schema.prisma`, "--script"], placeholderUrl(p));
    if (!sql.trim() || /This is an empty migration/.test(sql)) {
      console.log(`${p}: no changes`);
      continue;
    }
    const out = path.join(dir, `${ts}_${name}`);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "migration.sql"), sql);
    fs.writeFileSync(path.join(dir, "migration_lock.toml"), `provider = "${p === "sqlite" ? "sqlite" : "postgresql"}"\n`);
    fs.copyFileSync(path.join(root, "prisma", p, "schema.prisma"), snapshot);
    console.log(`${p}: wrote ${path.relative(root, out)}`);
  }
}

if (require.main === module) {
  const [cmd, arg] = process.argv.slice(2);
  if (cmd === "generate") generate(arg === "--force");
  else if (cmd === "deploy") {
    const url = arg ?? process.env.DATABASE_URL ?? "file:" + path.resolve(process.env.DATA_DIR ?? "data", "shuqiao.db");
    fs.mkdirSync(path.join(root, "data"), { recursive: true });
    deploy(url);
    console.log("migrations applied");
  } else if (cmd === "migrate" && arg) migrate(arg);
  else {
    console.error("usage: tsx scripts/prisma.ts generate | deploy [url] | migrate <name>");
    process.exit(2);
  }
}
