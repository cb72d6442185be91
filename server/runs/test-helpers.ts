/**
 * Test helpers for the run engine's integration tests: a fresh migrated database (SQLite file or a
 * uniquely named PostgreSQL database), the simulators with sandbox connections, and the example flows.
 *
 * Why this exists: every engine test runs against a real database and real simulators over HTTP; the
 * set-up is the same everywhere and must clean up after itself.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/server/db";
import { createTestDb, requirePostgres, type TestDb } from "@/server/testing/db";
import { importFlowDocument } from "@/server/flows/store";
import { startSimulators, type Simulators } from "@/server/testing/simulators";
import { withPayloads } from "./batch-payloads";
import { ensureSandboxConnections } from "./connections";

process.env.SHUQIAO_SECRET_KEY ??= "11".repeat(32);

export const EXAMPLES = path.resolve(__dirname, "../../examples");

export function readExample(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), "utf8")) as Record<string, unknown>;
}

export type { TestDb } from "@/server/testing/db";

/** A fresh migrated SQLite database (copied from a migrated template: see server/testing/db.ts). */
export function sqliteDb(): Promise<TestDb> {
  return createTestDb("sqlite");
}

/** A fresh PostgreSQL database, or null (loudly, and never in CI) when PostgreSQL is unreachable. */
export async function postgresDb(): Promise<TestDb | null> {
  return (await requirePostgres()) ? createTestDb("postgres") : null;
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

/** Ledger rows with their payloads filled in (a sent record's payloads are its batch's: batch-payloads.ts). */
export async function ledgerRows(db: Db, args: NonNullable<Parameters<Db["syncRecord"]["findMany"]>[0]>) {
  return withPayloads(db, await db.syncRecord.findMany(args));
}
