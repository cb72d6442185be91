/**
 * The audit log writer: who did what, when, from where — append-only from the app.
 *
 * Why this exists: an integration platform holds the keys to the company's ERP; an admin must be able to
 * answer "who changed this connection / started that run / signed in from where". Every tRPC mutation is
 * recorded by one middleware (server/api/trpc.ts), sign-in/out and setup by their route handlers, user
 * management from the CLI with actor "cli". There is no update or delete of audit rows anywhere in the app.
 *
 * Details are the caller's input with secret-like fields redacted and its size capped, so the log never
 * becomes a second place where passwords live.
 */
import type { Db, Prisma } from "../db";

export interface AuditEntry {
  actor: string;
  actorId?: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  details?: unknown;
  ip?: string | null;
  ok?: boolean;
}

export const REDACTED = "[已隐藏 redacted]";
/** keys whose values never enter the log: secrets, passwords, tokens, keys */
const SECRET_KEY = /secret|password|passwd|token|key|credential|authorization|cookie/i;
const MAX_STRING = 300;
const MAX_ARRAY = 20;
const MAX_DEPTH = 5;
export const MAX_DETAILS_CHARS = 4000;

function clean(v: unknown, depth: number): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "number") return v;
  if (typeof v === "string") return v.length > MAX_STRING ? v.slice(0, MAX_STRING) + `…(${v.length})` : v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== "object") return undefined;
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ARRAY).map((x) => clean(x, depth + 1) ?? null);
    if (v.length > MAX_ARRAY) items.push(`…(+${v.length - MAX_ARRAY})`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (SECRET_KEY.test(k)) out[k] = REDACTED;
    else {
      const c = clean(x, depth + 1);
      if (c !== undefined) out[k] = c;
    }
  }
  return out;
}

/** The input as it may be stored: secret-like fields redacted, long strings/arrays cut, at most ~4 kB. */
export function auditDetails(input: unknown): Prisma.InputJsonValue | undefined {
  if (input === undefined) return undefined;
  const c = clean(input, 0);
  if (c === undefined || c === null) return undefined;
  const text = JSON.stringify(c);
  if (text.length <= MAX_DETAILS_CHARS) return c as Prisma.InputJsonValue;
  const keys = c && typeof c === "object" && !Array.isArray(c) ? Object.keys(c) : [];
  return { truncated: true, size: text.length, keys } as Prisma.InputJsonValue;
}

/** Which entity an input is about: `id` belongs to the router's own entity, `<thing>Id` to that thing. */
const ID_FIELDS: [string, string][] = [
  ["flowId", "flows"],
  ["runId", "runs"],
  ["connectionId", "connections"],
  ["scheduleId", "schedules"],
  ["userId", "users"],
];
export function auditEntity(path: string, input: unknown, output?: unknown): { entityType: string | null; entityId: string | null } {
  const router = path.split(".")[0] ?? null;
  const obj = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const out = output && typeof output === "object" ? (output as Record<string, unknown>) : {};
  if (typeof obj.id === "string") return { entityType: router, entityId: obj.id };
  // starting, rerunning or cancelling is about the run it produced (the input's flowId/parent run stays in details)
  if (typeof out.runId === "string") return { entityType: "runs", entityId: out.runId };
  for (const [field, type] of ID_FIELDS) if (typeof obj[field] === "string") return { entityType: type, entityId: obj[field] as string };
  // a create returns the new entity's id
  if (typeof out.id === "string") return { entityType: router, entityId: out.id };
  return { entityType: router, entityId: null };
}

export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: e.actor,
      actorId: e.actorId ?? null,
      action: e.action,
      entityType: e.entityType ?? null,
      entityId: e.entityId ?? null,
      details: e.details === undefined ? undefined : auditDetails(e.details),
      ip: e.ip ?? null,
      ok: e.ok ?? true,
    },
  });
}

export interface AuditFilter {
  cursor?: string | null;
  limit?: number;
  actor?: string;
  /** exact action, or a prefix ending in "." (e.g. "flows.") */
  action?: string;
  entityType?: string;
  entityId?: string;
  ok?: boolean;
  from?: Date;
  to?: Date;
}

/** Newest first; `nextCursor` is the id of the next page's first row (ties on `at` broken by id). */
export async function listAudit(db: Db, f: AuditFilter) {
  const limit = f.limit ?? 50;
  const where: Prisma.AuditLogWhereInput = {
    ...(f.actor ? { actor: f.actor.toLowerCase() === "cli" ? "cli" : { contains: f.actor.toLowerCase() } } : {}),
    ...(f.action ? (f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action }) : {}),
    ...(f.entityType ? { entityType: f.entityType } : {}),
    ...(f.entityId ? { entityId: f.entityId } : {}),
    ...(f.ok !== undefined ? { ok: f.ok } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
  };
  const rows = await db.auditLog.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor } } : {}),
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? rows[limit].id : null };
}
