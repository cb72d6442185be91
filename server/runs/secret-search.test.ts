/**
 * Secrets stay secret through a whole run: after sandbox runs of both example schemes (管易云 → 金蝶,
 * 钉钉 → 金蝶), a connection test of every sandbox connection and a failing run, every table of the
 * database (every column as text) — and for SQLite the raw database and WAL bytes — and everything the
 * process wrote to stdout/stderr are searched for the demo secrets. None may be found. SQLite and
 * PostgreSQL.
 */
process.env.SHUQIAO_SECRET_KEY ??= "44".repeat(32);
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { DINGTALK_CREDENTIALS } from "@/server/testing/simulators/dingtalk";
import { GUANYI_CREDENTIALS } from "@/server/testing/simulators/guanyi";
import { KINGDEE_CREDENTIALS } from "@/server/testing/simulators/kingdee";
import { sqliteFile } from "@/server/data-files";
import type { Simulators } from "@/server/testing/simulators";
import { testStoredConnection } from "./connections";
import { createRun, executeRun } from "./service";
import { importExample, postgresDb, simConfig, sqliteDb, startSandbox, type TestDb } from "./test-helpers";

const SECRETS: Record<string, string> = {
  "guanyi.sessionkey": GUANYI_CREDENTIALS.sessionkey,
  "guanyi.secret": GUANYI_CREDENTIALS.secret,
  "dingtalk.appsecret": DINGTALK_CREDENTIALS.appsecret,
  "kingdee.password": KINGDEE_CREDENTIALS.password,
  "kingdee.appSecret": KINGDEE_CREDENTIALS.appSecret,
};

/** Which secrets occur in `text`, verbatim or URL-encoded. */
function found(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, s]) => text.includes(s) || text.includes(encodeURIComponent(s)))
    .map(([k]) => k);
}

function asText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString("latin1") : x));
}

/** Every row of every table, every column as text. */
async function dumpTables(db: Db, provider: "sqlite" | "postgres"): Promise<{ tables: string[]; text: string }> {
  const tables =
    provider === "sqlite"
      ? (await db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name)
      : (await db.$queryRawUnsafe<{ table_name: string }[]>("SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")).map((r) => r.table_name);
  const parts: string[] = [];
  for (const t of tables) {
    const rows =
      provider === "sqlite"
        ? await db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${t.replace(/"/g, '""')}"`)
        : await db.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${t.replace(/"/g, '""')}" t`);
    parts.push(`${t}\n${asText(rows)}`);
  }
  return { tables, text: parts.join("\n") };
}

const providers: ["sqlite" | "postgres", () => Promise<TestDb | null>][] = [
  ["sqlite", sqliteDb],
  ["postgres", postgresDb],
];

for (const [provider, open] of providers) {
  describe(`no secret at rest or in the log after sandbox runs (${provider})`, () => {
    let t: TestDb | null;
    let sims: Simulators;
    const log: string[] = [];
    const restore: (() => void)[] = [];

    beforeAll(async () => {
      t = await open();
      if (!t) return;
      // capture everything the process writes (console.* ends up here too)
      for (const stream of [process.stdout, process.stderr]) {
        const orig = stream.write.bind(stream);
        stream.write = ((chunk: unknown, ...rest: unknown[]) => {
          log.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
          return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof stream.write;
        restore.push(() => (stream.write = orig as typeof stream.write));
      }
      sims = await startSandbox(t.db, { config: { guanyi: { shops: 60 }, dingtalk: { approvals: 40 } } });
    }, 120_000);
    afterAll(async () => {
      for (const r of restore) r();
      await sims?.close();
      await t?.drop();
    });

    it("runs both example schemes, tests every sandbox connection, fails one run, and finds no secret anywhere", async () => {
      if (!t) return;
      const db = t.db;
      for (const example of ["guanyi-shops-to-kingdee-customers.json", "dingtalk-pettycash-to-kingdee.json"]) {
        const flowId = await importExample(db, example);
        const runId = await createRun(db, { flowId, options: { sandbox: true } });
        const s = await executeRun(db, runId);
        expect(s.status, example).toBe("succeeded");
        expect(s.counts.written).toBeGreaterThan(0);
      }
      for (const c of await db.connection.findMany({ where: { sandbox: true } })) {
        const r = await testStoredConnection(db, c.id);
        expect(r.ok, `${c.name}: ${r.message}`).toBe(true);
      }
      // a run that fails (the source is down): its error texts and events are stored too
      await simConfig(sims.guanyi.url, { errorRate: 1 });
      const flowId = await importExample(db, "guanyi-shops-to-kingdee-customers.json");
      const failing = await createRun(db, { flowId, options: { sandbox: true } });
      const bad = await executeRun(db, failing);
      expect(bad.status, JSON.stringify(bad)).not.toBe("succeeded");
      await simConfig(sims.guanyi.url, { errorRate: 0 });

      const { tables, text } = await dumpTables(db, provider);
      expect(tables.length).toBeGreaterThan(10);
      // the dump is real: the sandbox connections, runs, ledger rows and events are in it
      expect(text).toContain("沙箱-金蝶");
      expect(text).toContain("run.finished");
      expect(text).toContain(GUANYI_CREDENTIALS.appkey); // not a secret: proves connection settings were dumped
      expect(found(text)).toEqual([]);
      if (provider === "sqlite") {
        const file = sqliteFile(t.url)!;
        for (const f of [file, `${file}-wal`]) {
          if (fs.existsSync(f)) expect(found(fs.readFileSync(f).toString("latin1")), f).toEqual([]);
        }
      }
      const captured = log.join("");
      expect(found(captured)).toEqual([]);
    }, 300_000);
  });
}
