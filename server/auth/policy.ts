/**
 * Who may call what: the one place where roles are decided.
 *
 * Why this exists: the UI hides what a role cannot do, but the server is the guard. Every tRPC procedure
 * declares the least role it needs through its builder (`viewerProcedure`, `editorProcedure`,
 * `adminProcedure` in server/api/trpc.ts set `meta.role`), and one middleware asks `authorize()` here
 * before any resolver runs. A procedure without a rule is refused (default deny), and
 * server/auth/policy.test.ts walks the whole router so a forgotten rule fails the build.
 *
 * Roles are ordered: viewer < editor < admin.
 *   viewer — read schemes, runs, ledger, monitor, catalogue, connections list (never secrets);
 *   editor — viewer + design/save/delete schemes, run, rerun, cancel, schedules, preview, Qeasy import/export;
 *   admin  — editor + users, connections create/update/delete/test and their secrets, alert channels,
 *            settings, audit log.
 */
export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** What a procedure declares: a role, or "public" (callable without signing in — kept to a short list). */
export type Rule = Role | "public";

/** The only procedures anyone may call without signing in (the walk test holds the router to this list). */
export const PUBLIC_PROCEDURES: readonly string[] = ["auth.me"];

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

export function roleRank(r: Role): number {
  return ROLES.indexOf(r);
}

export interface Principal {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type Decision = { ok: true } | { ok: false; code: "UNAUTHORIZED" | "FORBIDDEN"; message: string };

export const MSG_UNAUTHORIZED = "请先登录 (please sign in)";
export function forbiddenMessage(need: Role): string {
  const zh = { viewer: "查看者", editor: "编辑者", admin: "管理员" }[need];
  return `没有权限：此操作需要「${zh}」角色 (forbidden: this needs the ${need} role)`;
}

/**
 * The decision for one call. `rule` undefined (a procedure that declared nothing) is denied to everyone:
 * anonymous callers learn they must sign in, signed-in ones are refused.
 */
export function authorize(rule: Rule | undefined, user: Principal | null): Decision {
  if (rule === "public") return { ok: true };
  if (!user) return { ok: false, code: "UNAUTHORIZED", message: MSG_UNAUTHORIZED };
  if (!rule || !isRole(rule)) return { ok: false, code: "FORBIDDEN", message: "没有权限：此操作未声明访问规则 (forbidden: no access rule)" };
  if (!isRole(user.role) || roleRank(user.role) < roleRank(rule)) return { ok: false, code: "FORBIDDEN", message: forbiddenMessage(rule) };
  return { ok: true };
}
