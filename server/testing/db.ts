/**
 * Real databases for tests: a fresh SQLite file or a fresh PostgreSQL database, migrated with the
 * same `prisma migrate deploy` the app uses.
 *
 * Why templates: `migrate deploy` costs seconds (≈12 s on PostgreSQL here); it runs once per schema
 * change into a template, and each test then gets a copy in milliseconds (file copy / CREATE DATABASE
 * … TEMPLATE). Tests never share a database, so they can run in parallel and leave nothing behind.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { deploy } from "../../scripts/prisma";
import { createDb, tuneDb, type Db } from "../db";

export const PG_ADMIN_URL = process.env.SHUQIAO_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export type Provider = "sqlite" | "postgres";

export interface TestDb {
  provider: Provider;
  url: string;
  db: Db;
  /** disconnects and deletes the database */
  drop(): Promise<void>;
}

function migrationsHash(provider: Provider): string {
  const dir = path.resolve(__dirname, "../../prisma", provider, "migrations");
  const h = createHash("sha256");
  for (const d of fs.readdirSync(dir).sort()) {
    const f = path.join(dir, d, "migration.sql");
    if (fs.existsSync(f)) h.update(d).update(fs.readFileSync(f));
  }
  return h.digest("hex").slice(0, 12);
}

let pgState: Promise<boolean> | undefined;
/** Whether the machine's PostgreSQL answers (checked once per process). */
export function postgresAvailable(): Promise<boolean> {
  return (pgState ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  })());
}

/**
 * For `describe.skipIf(!(await requirePostgres()))`: on a developer machine without PostgreSQL the
 * suite is skipped with a loud warning; in CI (CI=true) its absence is an error.
 */
export async function requirePostgres(): Promise<boolean> {
  if (await postgresAvailable()) return true;
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${PG_ADMIN_URL} does not answer`);
  console.warn(`\n⚠⚠⚠ PostgreSQL at ${PG_ADMIN_URL} does not answer: PostgreSQL tests are SKIPPED on this machine (CI runs them).\n`);
  return false;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function urlFor(dbName: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = "/" + dbName;
  return u.toString();
}

async function ensurePgTemplate(): Promise<string> {
  const name = `shuqiao_tpl_${migrationsHash("postgres")}`;
  const exists = await withAdmin((c) => c.query("select 1 from pg_database where datname = $1", [name]));
  if (exists.rowCount) return name;
  const building = `${name}_b${process.pid}_${randomBytes(3).toString("hex")}`;
  await withAdmin((c) => c.query(`create database "${building}"`));
  deploy(urlFor(building));
  try {
    await withAdmin((c) => c.query(`alter database "${building}" rename to "${name}"`));
  } catch {
    // another test process built the same template meanwhile: keep theirs
    await withAdmin((c) => c.query(`drop database if exists "${building}"`));
  }
  return name;
}

function ensureSqliteTemplate(): string {
  const file = path.join(os.tmpdir(), "shuqiao-test-templates", `sqlite_${migrationsHash("sqlite")}.db`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const building = `${file}.${process.pid}.${randomBytes(3).toString("hex")}`;
  deploy("file:" + building);
  fs.renameSync(building, file);
  return file;
}

export async function createTestDb(provider: Provider = "sqlite"): Promise<TestDb> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-db-"));
    const file = path.join(dir, "test.db");
    fs.copyFileSync(ensureSqliteTemplate(), file);
    const url = "file:" + file;
    const db = createDb(url);
    await tuneDb(db, url);
    return {
      provider,
      url,
      db,
      async drop() {
        await db.$disconnect();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const template = await ensurePgTemplate();
  const name = `shuqiao_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin((c) => c.query(`create database "${name}" template "${template}"`));
  const url = urlFor(name);
  const db = createDb(url);
  return {
    provider,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
