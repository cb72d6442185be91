/**
 * What `npm start` does about users before it serves: create the headless admin from the environment,
 * or — while there are no users — mint a one-time setup link to print.
 *
 * Why a module of its own: scripts/start.ts needs a built app to run; this part is tested on its own.
 */
import type { Db } from "../db";
import { createSetupToken, ensureHeadlessAdmin, setupRequired } from "./setup";
import { writeAudit } from "./audit";

export interface FirstStartResult {
  /** the line to print once the server listens, or null when nothing needs saying */
  message: string | null;
}

/** The address a person on this machine types: a wildcard listen address becomes localhost. */
export function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

export async function firstStart(db: Db, opts: { host: string; port: number; adminEmail?: string; adminPassword?: string }): Promise<FirstStartResult> {
  if (opts.adminEmail && opts.adminPassword) {
    const r = await ensureHeadlessAdmin(db, opts.adminEmail, opts.adminPassword);
    if (r.created && r.user) {
      await writeAudit(db, { actor: "system", action: "users.add", entityType: "users", entityId: r.user.id, details: { input: { email: r.user.email, role: "admin" }, source: "SHUQIAO_ADMIN_EMAIL" } });
      return { message: `  管理员 admin: 已按 SHUQIAO_ADMIN_EMAIL 创建 ${r.user.email}` };
    }
    return { message: null };
  }
  if (!(await setupRequired(db))) return { message: null };
  const { token } = await createSetupToken(db);
  return { message: `首次使用：打开 http://${displayHost(opts.host)}:${opts.port}/setup?token=${token} 创建管理员（30 分钟内有效）` };
}
