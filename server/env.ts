/**
 * The server's configuration, read once from the environment and validated.
 *
 * Why: an IT admin who sets a bad value must get one sentence saying what to fix, not a stack trace
 * three layers down. Everything configurable lives here with its default.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // CHOICE: loopback by default — a server holding the keys to a company's ERP must be opened to the
  // network on purpose (HOST=0.0.0.0), never by accident.
  HOST: z.string().default("127.0.0.1"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^(postgres(ql)?:\/\/|file:)/.test(v), "DATABASE_URL 必须以 postgres:// 或 file: 开头 (must start with postgres:// or file:)"),
  /** 32-byte key (hex or base64) for connection secrets; generated into DATA_DIR when absent */
  SHUQIAO_SECRET_KEY: z.string().optional(),
  /** start the sandbox simulators with the app (default on) */
  SHUQIAO_SANDBOX: z.enum(["0", "1", "true", "false"]).default("1"),
  SHUQIAO_SIM_GUANYI_PORT: z.coerce.number().int().default(18101),
  SHUQIAO_SIM_DINGTALK_PORT: z.coerce.number().int().default(18102),
  SHUQIAO_SIM_KINGDEE_PORT: z.coerce.number().int().default(18103),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** how many runs the embedded queue executes at once (default: one per core, at least 2) */
  SHUQIAO_RUN_CONCURRENCY: z.coerce
    .number({ message: "必须是 1 到 64 之间的整数 (an integer from 1 to 64)" })
    .int("必须是 1 到 64 之间的整数 (an integer from 1 to 64)")
    .min(1, "必须是 1 到 64 之间的整数 (an integer from 1 to 64)")
    .max(64, "必须是 1 到 64 之间的整数 (an integer from 1 to 64)")
    .optional(),
  /** how long a mapping preview waits for the source's first page, in seconds */
  SHUQIAO_PREVIEW_TIMEOUT_SEC: z.coerce.number().int().min(1).max(600).default(20),
  /** a run with no progress (no page read, no batch settled) for this many minutes fails, resumable; 0 = never */
  SHUQIAO_STALL_MINUTES: z.coerce.number().min(0).max(24 * 60).default(5),
  /** with SHUQIAO_ADMIN_PASSWORD: `npm start` creates this admin when it does not exist (instead of the setup link) */
  SHUQIAO_ADMIN_EMAIL: z.string().trim().regex(/^[^\s@]+@[^\s@]+$/, "必须是邮箱地址 (must be an e-mail address)").optional(),
  SHUQIAO_ADMIN_PASSWORD: z.string().min(10, "至少 10 个字符 (at least 10 characters)").max(256).optional(),
}).superRefine((e, ctx) => {
  if (!!e.SHUQIAO_ADMIN_EMAIL !== !!e.SHUQIAO_ADMIN_PASSWORD)
    ctx.addIssue({ code: "custom", path: [e.SHUQIAO_ADMIN_EMAIL ? "SHUQIAO_ADMIN_PASSWORD" : "SHUQIAO_ADMIN_EMAIL"], message: "SHUQIAO_ADMIN_EMAIL 和 SHUQIAO_ADMIN_PASSWORD 必须同时设置 (set both or neither)" });
});
export type Env = z.infer<typeof EnvSchema> & { dataDir: string; databaseUrl: string; provider: "sqlite" | "postgres"; sandbox: boolean; runConcurrency: number };

/**
 * CHOICE: one run per core, at least 2. A run is mostly waiting on vendors (I/O), so two per core
 * would also fit, but a stuck vendor then ties up more of the machine; the admin raises it with
 * SHUQIAO_RUN_CONCURRENCY.
 */
export function defaultRunConcurrency(cores = os.availableParallelism?.() ?? os.cpus().length): number {
  return Math.max(2, cores);
}

export class ConfigError extends Error {}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`配置错误 ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL || "file:" + path.join(dataDir, "shuqiao.db");
  return {
    ...e,
    dataDir,
    databaseUrl,
    provider: /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgres" : "sqlite",
    sandbox: e.SHUQIAO_SANDBOX === "1" || e.SHUQIAO_SANDBOX === "true",
    runConcurrency: e.SHUQIAO_RUN_CONCURRENCY ?? defaultRunConcurrency(),
  };
}

let cached: Env | undefined;
export function env(): Env {
  return (cached ??= readEnv());
}
