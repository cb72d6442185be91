/**
 * Owner-only permissions for what lives in DATA_DIR: the directory 0700, the SQLite database, its
 * WAL/SHM/journal files and secret.key 0600.
 *
 * Why this exists: the database holds encrypted connection secrets and secret.key decrypts them; with
 * the default umask both were world-readable (0644) to every account on the machine. Files are created
 * with the mode (not loosened and fixed later), and existing installations are tightened on start.
 * SQLite creates its -wal/-shm files with the main file's mode, so creating the main file 0600 before
 * SQLite (or `prisma migrate deploy`) first opens it covers them; they are chmod-ed again after the
 * switch to WAL for files made by older versions.
 */
import fs from "node:fs";
import path from "node:path";

/** Creates `dir` (and parents) and makes it 0700. */
export function secureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodQuiet(dir, 0o700);
}

function chmodQuiet(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (e) {
    // absent files are fine; a file we cannot chmod (not ours) is left as it is
    if ((e as NodeJS.ErrnoException).code !== "ENOENT" && (e as NodeJS.ErrnoException).code !== "EPERM") throw e;
  }
}

/** The file of a `file:` database URL, or undefined for PostgreSQL / in-memory. */
export function sqliteFile(databaseUrl: string): string | undefined {
  if (!databaseUrl.startsWith("file:")) return undefined;
  const file = databaseUrl.replace(/^file:/, "").replace(/\?.*$/, "");
  return file && file !== ":memory:" ? path.resolve(file) : undefined;
}

/** Pre-creates the SQLite file 0600 (so SQLite's own files inherit it) and tightens what exists. */
export function secureSqliteFiles(databaseUrl: string): void {
  const file = sqliteFile(databaseUrl);
  if (!file) return;
  if (!fs.existsSync(path.dirname(file))) secureDir(path.dirname(file));
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_WRONLY | fs.constants.O_APPEND, 0o600));
  } catch {
    /* unwritable: the database open reports it in its own words */
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) chmodQuiet(f, 0o600);
}
