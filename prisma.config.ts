/**
 * Prisma CLI configuration (used by scripts/prisma.ts only, never by the app at run time).
 *
 * Why: Prisma 6.19 on these machines cannot download native engines, so the CLI runs the WebAssembly
 * schema engine through a driver adapter (STACK.md). One model source, two generated schemas: the
 * provider is chosen from DATABASE_URL (postgres:// → PostgreSQL, anything else → SQLite file).
 */
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const url = process.env.DATABASE_URL ?? "";
const isPostgres = /^postgres(ql)?:\/\//.test(url);

if (isPostgres) {
  // prisma/orm#27403: adapter-pg 6.19 cannot deserialize catalog column types the migration engine
  // reads (name, char, regproc …). Report them as text / text[] in this CLI process only.
  const TEXT_TYPES = new Set([18, 19, 22, 24, 30, 194, 2205]);
  const TEXT_ARRAY_TYPES = new Set([1002, 1003]);
  type FieldDesc = { dataTypeID: number };
  const proto = pg.Result.prototype as unknown as { addFields: (fields: FieldDesc[]) => void };
  const original = proto.addFields;
  proto.addFields = function addFields(this: unknown, fields: FieldDesc[]) {
    for (const f of fields) {
      if (TEXT_TYPES.has(f.dataTypeID)) f.dataTypeID = 25;
      else if (TEXT_ARRAY_TYPES.has(f.dataTypeID)) f.dataTypeID = 1009;
    }
    return original.call(this, fields);
  };
}

function sqliteFile(): string {
  return url.startsWith("file:") ? url.slice("file:".length) : path.resolve(process.env.DATA_DIR ?? "data", "shuqiao.db");
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPostgres ? "prisma/postgres/schema.prisma" : "prisma/sqlite/schema.prisma",
  migrations: { path: isPostgres ? "prisma/postgres/migrations" : "prisma/sqlite/migrations" },
  async adapter() {
    if (isPostgres) {
      const u = new URL(url);
      // Discrete settings, not a connectionString: otherwise `migrate dev` uses the real database as shadow.
      return new PrismaPg({
        host: u.hostname,
        port: Number(u.port || 5432),
        user: decodeURIComponent(u.username || "postgres"),
        password: decodeURIComponent(u.password),
        database: u.pathname.replace(/^\//, "") || "postgres",
        idleTimeoutMillis: 200, // let the CLI exit promptly after the migration
      });
    }
    return new PrismaBetterSQLite3({ url: sqliteFile() });
  },
});
