/**
 * What each role may do, as the browser sees it: the one place the UI asks before showing an edit,
 * run, delete or admin control.
 *
 * Why it exists: hiding a control a person cannot use keeps the screens honest, and one table keeps
 * every screen consistent. It mirrors the server's policy (server/auth/policy.ts, issue #16); the
 * server remains the guard — a control shown by mistake still gets a 403.
 */
export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export type Capability =
  /** create, design, save, duplicate, import, restore and delete schemes */
  | "flows.edit"
  /** download a scheme file (flows.export is an editor procedure on the server) */
  | "flows.export"
  /** start a run, rerun, cancel */
  | "runs.operate"
  /** create, change, pause and remove schedules */
  | "schedules.edit"
  /** sample data and mapping previews in the designer (they call the source system) */
  | "preview.use"
  /** Qeasy import/export */
  | "qeasy.use"
  /** create, change, delete and test connections; enter their secrets */
  | "connections.manage"
  /** alert channels */
  | "alerts.manage"
  /** workspace settings (outbound policy …) */
  | "settings.manage"
  /** users: add, change role, disable, reset password */
  | "users.manage"
  /** read the audit log */
  | "audit.read";

const EDITOR: readonly Capability[] = ["flows.edit", "flows.export", "runs.operate", "schedules.edit", "preview.use", "qeasy.use"];
const ADMIN: readonly Capability[] = [...EDITOR, "connections.manage", "alerts.manage", "settings.manage", "users.manage", "audit.read"];

const CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  viewer: new Set(),
  editor: new Set(EDITOR),
  admin: new Set(ADMIN),
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may do `cap`; an unknown or missing role may do nothing beyond reading. */
export function can(role: string | null | undefined, cap: Capability): boolean {
  return isRole(role) && CAPABILITIES[role].has(cap);
}
