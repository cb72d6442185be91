/**
 * Start-up checks that turn bad configuration into one sentence an IT admin can act on:
 * invalid env, an unwritable DATA_DIR, an unreachable database, a port already in use.
 *
 * Why separate from start.ts: the same checks guard the CLI and are unit-tested on their own.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export class StartupError extends Error {}

export function checkDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    throw new StartupError(`数据目录 DATA_DIR=${dataDir} 不可写（${code}）：请改用一个可写的目录，或修正其权限。(DATA_DIR is not writable: choose a writable directory or fix its permissions.)`);
  }
}

export async function checkPostgres(url: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (e) {
    const u = new URL(url);
    const why = (e as Error).message || String(e);
    throw new StartupError(`无法连接数据库 ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}（${why}）：请检查 DATABASE_URL 和数据库是否已启动。(Cannot reach the database: check DATABASE_URL and that PostgreSQL is running.)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Resolves when the port can be bound; rejects with a StartupError naming the env var to change. */
export function checkPortFree(port: number, host: string, envName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") reject(new StartupError(`端口 ${port} 已被占用：请关闭占用它的程序，或设置 ${envName}=<其他端口>。(Port ${port} is in use: stop the other program or set ${envName}.)`));
      else if (e.code === "EACCES") reject(new StartupError(`没有权限监听端口 ${port}：请设置 ${envName}=<1024 以上的端口>。(No permission to listen on port ${port}: set ${envName}.)`));
      else reject(new StartupError(`无法监听 ${host}:${port}（${e.code}）：请检查 ${envName} 和 HOST。`));
    });
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}
