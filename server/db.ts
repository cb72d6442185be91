/**
 * The Prisma client factory: SQLite (better-sqlite3 adapter) by default, PostgreSQL (pg adapter) when
 * DATABASE_URL is postgres://. Both clients come from one model source (prisma/schema.base.prisma).
 *
 * Why: the app, the CLI and the workers must all talk to the same database the same way; this is the
 * only place that knows which adapter is in use. The two generated clients have the same API, so the
 * app is typed against the SQLite one.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/prisma/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/prisma/generated/postgres/client";
import { secureSqliteFiles } from "./data-files";
import { env } from "./env";

export type Db = SqliteClient;
export type { Prisma } from "@/prisma/generated/sqlite/client";

export function createDb(databaseUrl: string = env().databaseUrl): Db {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  const file = databaseUrl.replace(/^file:/, "");
  secureSqliteFiles(databaseUrl); // 0600 before SQLite first opens it (data-files.ts)
  const adapter = new PrismaBetterSQLite3({ url: file });
  return new SqliteClient({ adapter });
}

const globalForDb = globalThis as unknown as { __shuqiaoDb?: Db };

/** The process-wide client (one per process; survives Next dev reloads). */
export function db(): Db {
  return (globalForDb.__shuqiaoDb ??= createDb());
}

/** SQLite needs WAL + a busy timeout for one writer and many readers; called once at start. */
export async function tuneDb(client: Db, databaseUrl: string = env().databaseUrl): Promise<void> {
  if (/^postgres/.test(databaseUrl)) return;
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  secureSqliteFiles(databaseUrl); // the -wal/-shm files now exist
}
