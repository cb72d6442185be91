/**
 * A fresh DATA_DIR is owner-only: the directory 0700, the database (made by `prisma migrate deploy`
 * as `npm start` does), its WAL/SHM files and secret.key 0600 — with a permissive umask, so the modes
 * come from the code and not from the environment.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { deploy } from "@/scripts/prisma";
import { secureDir, secureSqliteFiles } from "./data-files";
import { createDb, tuneDb } from "./db";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "shuqiao-perm-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

it("database, WAL, SHM and secret.key are 0600 and DATA_DIR 0700, from a fresh start", async () => {
  try {
    process.umask(0o022);
  } catch {
    /* worker threads cannot set the umask; the default (022) applies */
  }
  const dataDir = path.join(root, "fresh", "data");
  const url = "file:" + path.join(dataDir, "shuqiao.db");
  // the start sequence: DATA_DIR, the database file, migrations, then the app's client in WAL mode
  secureDir(dataDir);
  secureSqliteFiles(url);
  deploy(url);
  const db = createDb(url);
  await tuneDb(db, url);
  await db.setting.create({ data: { key: "probe", value: true } });
  expect(mode(dataDir)).toBe("700");
  for (const f of ["shuqiao.db", "shuqiao.db-wal", "shuqiao.db-shm"]) expect(`${f} ${mode(path.join(dataDir, f))}`).toBe(`${f} 600`);
  await db.$disconnect();

  // the key file, generated on first use into the same DATA_DIR
  process.env.DATA_DIR = dataDir;
  delete process.env.SHUQIAO_SECRET_KEY;
  const { secretKey } = await import("./runs/connections");
  expect(secretKey()).toHaveLength(32);
  expect(mode(path.join(dataDir, "secret.key"))).toBe("600");
  // nothing in DATA_DIR is readable by group or others
  for (const f of fs.readdirSync(dataDir)) expect(`${f} ${fs.statSync(path.join(dataDir, f)).mode & 0o077}`).toBe(`${f} 0`);
});

it("tightens an existing world-readable installation", async () => {
  const dataDir = path.join(root, "old");
  fs.mkdirSync(dataDir, { mode: 0o755 });
  const file = path.join(dataDir, "shuqiao.db");
  fs.writeFileSync(file, "", { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  fs.writeFileSync(`${file}-wal`, "", { mode: 0o644 });
  fs.chmodSync(`${file}-wal`, 0o644);
  secureDir(dataDir);
  secureSqliteFiles("file:" + file);
  expect(mode(dataDir)).toBe("700");
  expect(mode(file)).toBe("600");
  expect(mode(`${file}-wal`)).toBe("600");
});
