/**
 * Test helpers for the run engine's integration tests: a fresh migrated database (SQLite file or a
 * uniquely named PostgreSQL database), the simulators with sandbox connections, and the example flows.
 *
 * Why this exists: every engine test runs against a real database and real simulators over HTTP; the
 * set-up is the same everywhere and must clean up after itself.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { createDb, type Db, tuneDb } from "@/server/db";
import { importFlowDocument } from "@/server/flows/store";
import { startSimulators, type Simulators } from "@/server/testing/simulators";
import { deploy } from "@/scripts/prisma";
import { ensureSandboxConnections } from "./connections";

process.env.SHUQIAO_SECRET_KEY ??= "11".repeat(32);

export const EXAMPLES = path.resolve(__dirname, "../../examples");

export function readExample(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), "utf8")) as Record<string, unknown>;
}

export interface TestDb {
  db: Db;
  url: string;
  dir?: string;
  drop(): Promise<void>;
}

export async function sqliteDb(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-engine-"));
  const url = `file:${path.join(dir, "db.sqlite")}`;
  deploy(url);
  const db = createDb(url);
  await tuneDb(db, url);
  return {
    db,
    url,
    dir,
    async drop() {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh PostgreSQL database, or null (with a loud warning) when PostgreSQL is unreachable. */
export async function postgresDb(): Promise<TestDb | null> {
  const name = `shuqiao_engine_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  try {
    await admin.connect();
  } catch (e) {
    console.warn(`\n!!! PostgreSQL unreachable at ${PG_ADMIN} — SKIPPING PostgreSQL persistence tests: ${(e as Error).message}\n`);
    return null;
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  deploy(url);
  const db = createDb(url);
  return {
    db,
    url,
    async drop() {
      await db.$disconnect();
      const c = new Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startSandbox(db: Db | null, config: Parameters<typeof startSimulators>[0] = {}): Promise<Simulators> {
  const sims = await startSimulators(config);
  if (db) await ensureSandboxConnections(db, sims);
  return sims;
}

export async function simConfig(url: string, patch: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${url}/__sandbox/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
  if (!r.ok) throw new Error(`sandbox config failed: ${await r.text()}`);
}

export async function simReset(url: string): Promise<void> {
  const r = await fetch(`${url}/__sandbox/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  if (!r.ok) throw new Error(`sandbox reset failed: ${await r.text()}`);
}

export interface KingdeeDocs {
  count: number;
  duplicates: number;
  createdMoreThanOnce: number;
  documents: Record<string, unknown>[];
}

/** All stored documents of a Kingdee form (paged through the sandbox hook). */
export async function kingdeeDocuments(url: string, formId: string): Promise<KingdeeDocs> {
  const all: Record<string, unknown>[] = [];
  let first: KingdeeDocs | undefined;
  for (let offset = 0; ; offset += 1000) {
    const r = await fetch(`${url}/__sandbox/documents?formId=${formId}&offset=${offset}&limit=1000`);
    const body = (await r.json()) as KingdeeDocs;
    first ??= body;
    all.push(...body.documents);
    if (body.documents.length < 1000) break;
  }
  return { count: first?.count ?? 0, duplicates: first?.duplicates ?? 0, createdMoreThanOnce: first?.createdMoreThanOnce ?? 0, documents: all };
}

/** Imports an example as a flow (by name) and returns its id. */
export async function importExample(db: Db, file: string, patch?: (doc: Record<string, unknown>) => void): Promise<string> {
  const doc = readExample(file);
  patch?.(doc);
  const r = await importFlowDocument(db, doc, { fallbackName: file, author: "test" });
  return r.id;
}
