/**
 * `npm start`: check the configuration, prepare the database, build if needed, start the sandbox
 * simulators and serve the app on PORT — one command on a fresh machine.
 *
 * Bad configuration stops here with one sentence saying what to fix (never a stack trace).
 *
 * With no users yet it prints a one-time setup link for the first admin; with SHUQIAO_ADMIN_EMAIL +
 * SHUQIAO_ADMIN_PASSWORD it creates that admin instead (server/auth/first-start.ts).
 *
 * SIGTERM / SIGINT stop it gracefully within 15 s (server/graceful-stop.ts): no new requests, the
 * runtime takes no new work and suspends its runs — they finish the batches in flight and go back to
 * `queued`, resumed on the next start — then the simulators close.
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { firstStart } from "../server/auth/first-start";
import { CLIENT_IP_HEADER } from "../server/auth/sessions";
import { createDb } from "../server/db";
import { ConfigError, readEnv, type Env } from "../server/env";
import { installGracefulStop } from "../server/graceful-stop";
import { buildIfNeeded } from "./build-if-needed";
import { StartupError, checkDataDir, checkPortFree, checkPostgres } from "./preflight";
import { deploy, generate } from "./prisma";
import { secureDir, secureSqliteFiles } from "../server/data-files";

const root = path.resolve(__dirname, "..");


function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

async function prepare(e: Env): Promise<void> {
  checkDataDir(e.dataDir);
  secureDir(e.dataDir);
  secureSqliteFiles(e.databaseUrl); // created 0600 before migrate deploy opens it
  if (e.provider === "postgres") await checkPostgres(e.databaseUrl);
  await checkPortFree(e.PORT, e.HOST, "PORT");
  generate();
  try {
    deploy(e.databaseUrl);
  } catch (err) {
    throw new StartupError(`数据库迁移失败：${(err as Error).message.split("\n").slice(0, 3).join(" ")} (database migration failed)`);
  }
  buildIfNeeded();
}

/** Starts the simulators (or reuses ones already running on the configured ports) and tells the app where they are. */
async function startSandbox(e: Env): Promise<{ close(): Promise<void> } | null> {
  const ports = { guanyi: e.SHUQIAO_SIM_GUANYI_PORT, dingtalk: e.SHUQIAO_SIM_DINGTALK_PORT, kingdee: e.SHUQIAO_SIM_KINGDEE_PORT };
  const running = await Promise.all(
    Object.values(ports).map((p) =>
      fetch(`http://127.0.0.1:${p}/__sandbox/state`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.ok)
        .catch(() => false),
    ),
  );
  let handle: { close(): Promise<void> } | null = null;
  if (!running.every(Boolean)) {
    const envNames = { guanyi: "SHUQIAO_SIM_GUANYI_PORT", dingtalk: "SHUQIAO_SIM_DINGTALK_PORT", kingdee: "SHUQIAO_SIM_KINGDEE_PORT" } as const;
    for (const [k, p] of Object.entries(ports)) await checkPortFree(p, "127.0.0.1", envNames[k as keyof typeof envNames]);
    const { startSimulators } = await import("../server/testing/simulators/index");
    handle = await startSimulators({ host: "127.0.0.1", ports });
  }
  for (const [k, p] of Object.entries(ports)) process.env[`SHUQIAO_SIM_${k.toUpperCase()}_URL`] = `http://127.0.0.1:${p}`;
  return handle;
}

async function main(): Promise<void> {
  let e: Env;
  try {
    e = readEnv();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.DATABASE_URL = e.databaseUrl;
  process.env.DATA_DIR = e.dataDir;
  try {
    await prepare(e);
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }
  const users = createDb(e.databaseUrl);
  const welcome = await firstStart(users, { host: e.HOST, port: e.PORT, adminEmail: e.SHUQIAO_ADMIN_EMAIL, adminPassword: e.SHUQIAO_ADMIN_PASSWORD })
    .catch((err) => fail(`创建管理员失败：${(err as Error).message}`))
    .finally(() => users.$disconnect());
  const sims = e.sandbox ? await startSandbox(e).catch((err) => fail(err instanceof StartupError ? err.message : `沙箱模拟器启动失败：${(err as Error).message}`)) : null;

  const app = next({ dev: false, dir: root, hostname: e.HOST, port: e.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // the peer address for sign-in throttling and the audit log; whatever a client sent under this name is overwritten
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
  server.on("error", (err: NodeJS.ErrnoException) => fail(err.code === "EADDRINUSE" ? `端口 ${e.PORT} 已被占用：请设置 PORT=<其他端口>。` : err.message));
  server.listen(e.PORT, e.HOST, () => {
    console.log(`\n数桥 Shuqiao 已启动 → http://localhost:${e.PORT}`);
    console.log(`  数据库 database: ${e.provider === "sqlite" ? e.databaseUrl : "PostgreSQL"}`);
    if (welcome.message) console.log(welcome.message);
    if (e.sandbox) console.log(`  沙箱 sandbox: 管易云 :${e.SHUQIAO_SIM_GUANYI_PORT}  钉钉 :${e.SHUQIAO_SIM_DINGTALK_PORT}  金蝶 :${e.SHUQIAO_SIM_KINGDEE_PORT}`);
  });

  installGracefulStop({ closeServer: () => server.close(), closeRest: () => sims?.close() });
}

main().catch((err) => fail(`启动失败：${(err as Error).message}`));
