/**
 * `npm run cli -- users …`: the operator's user management, on the local database directly.
 *
 *   users add --email E --role admin|editor|viewer --password-stdin [--name N] [--json]
 *   users list [--json]
 *   users disable <email> [--json]
 *
 * Why this exists: the person who runs the server must be able to create the first users, and get back in
 * when every admin is locked out, without a browser. Passwords come only from stdin (never argv, which
 * other local users can read in the process list). Every change is audited with actor "cli".
 * Exit codes: 0 done, 2 bad input (usage, weak password, unknown or duplicate user), 1 anything else.
 */
import type { Db } from "../db";
import { DomainError } from "../errors";
import { writeAudit } from "./audit";
import { isRole } from "./policy";
import { addUser, disableUser, listUsers } from "./users";

const USAGE = `用法 (usage):
  users add --email E --role admin|editor|viewer --password-stdin [--name N] [--json]
  users list [--json]
  users disable <email> [--json]`;

class CliUsage extends Error {}

function parse(argv: string[]): { sub: string; positional: string[]; flags: Map<string, string> } {
  const [sub = "", ...rest] = argv;
  const flags = new Map<string, string>();
  const positional: string[] = [];
  const valued = new Set(["--email", "--role", "--name"]);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const [k, inline] = a.split("=", 2);
    const v = inline ?? (valued.has(k) ? rest[++i] : "true");
    if (v === undefined) throw new CliUsage(`${k} 需要一个值 (${k} needs a value)`);
    flags.set(k, v);
  }
  return { sub, positional, flags };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("输入密码后按回车，再按 Ctrl-D (type the password, Enter, then Ctrl-D): ");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (chunks.reduce((n, b) => n + b.length, 0) > 4096) throw new CliUsage("标准输入过长 (stdin too long)");
  }
  // one trailing newline is the terminator of `echo`/a here-string, not part of the password
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export async function usersCommand(argv: string[], openDb: () => Promise<Db>): Promise<number> {
  let json = false;
  const print = (result: Record<string, unknown>, human: string) => process.stdout.write((json ? JSON.stringify(result) : human) + "\n");
  const failWith = (code: number, message: string) => {
    if (json) process.stdout.write(JSON.stringify({ ok: false, error: message }) + "\n");
    else process.stderr.write(message + "\n");
    return code;
  };
  let db: Db | undefined;
  try {
    const { sub, positional, flags } = parse(argv);
    json = flags.has("--json");
    switch (sub) {
      case "add": {
        const email = flags.get("--email");
        const role = flags.get("--role");
        if (!email) throw new CliUsage("缺少 --email (missing --email)");
        if (!isRole(role)) throw new CliUsage("--role 必须是 admin、editor 或 viewer (--role must be admin, editor or viewer)");
        if (!flags.has("--password-stdin")) throw new CliUsage("密码只从标准输入读取：请加 --password-stdin (the password is read from stdin only: add --password-stdin)");
        const password = await readStdin();
        db = await openDb();
        const user = await addUser(db, { email, name: flags.get("--name"), role, password });
        await writeAudit(db, { actor: "cli", action: "users.add", entityType: "users", entityId: user.id, details: { input: { email: user.email, name: user.name, role } } });
        print({ ok: true, user }, `已创建用户 ${user.email}（${user.role}） (user created)`);
        return 0;
      }
      case "list": {
        db = await openDb();
        const users = await listUsers(db);
        const human = users.length
          ? users.map((u) => `${u.email.padEnd(32)} ${u.role.padEnd(7)} ${u.disabled ? "已停用 disabled" : "启用 active"}  ${u.name}`).join("\n")
          : "还没有用户 (no users yet)";
        print({ ok: true, users }, human);
        return 0;
      }
      case "disable": {
        const email = positional[0] ?? flags.get("--email");
        if (!email) throw new CliUsage("缺少邮箱 (missing e-mail): users disable <email>");
        db = await openDb();
        const user = await disableUser(db, { email });
        await writeAudit(db, { actor: "cli", action: "users.disable", entityType: "users", entityId: user.id, details: { input: { email: user.email } } });
        print({ ok: true, user }, `已停用 ${user.email}，其所有会话已注销 (user disabled, sessions revoked)`);
        return 0;
      }
      default:
        throw new CliUsage(sub ? `未知子命令 users ${sub} (unknown subcommand)` : "缺少子命令 (missing subcommand)");
    }
  } catch (e) {
    if (e instanceof CliUsage) return failWith(2, `${e.message}\n${USAGE}`);
    if (e instanceof DomainError && ["BAD_REQUEST", "CONFLICT", "NOT_FOUND", "PRECONDITION_FAILED"].includes(e.code)) return failWith(2, e.message);
    return failWith(1, `错误 (error): ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await db?.$disconnect();
  }
}
