/**
 * tRPC initialisation: context, the error formatter, and the procedure builders every router uses.
 *
 * Why one file: one error shape for the whole API (code + message + zod field errors), so the UI shows
 * every failure the same way; and one chain every procedure goes through — errors mapped, mutations
 * audited, access decided by server/auth/policy.ts. A router picks the least role a procedure needs
 * (`viewerProcedure`, `editorProcedure`, `adminProcedure`); `publicProcedure` is for the few calls an
 * anonymous browser must make (policy.PUBLIC_PROCEDURES) and the router walk test holds it to that list.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { auditEntity, writeAudit } from "../auth/audit";
import { authorize, type Principal, type Rule } from "../auth/policy";
import { clientInfo, readCookie, resolveSession, SESSION_COOKIE } from "../auth/sessions";
import { db, type Db } from "../db";
import { logInternal, toTRPCError } from "./errors";

export interface Context {
  db: Db;
  /** the signed-in user, or null for an anonymous call */
  user: Principal | null;
  /** sha256 of the session token (the Session row's id) */
  sessionId?: string | null;
  /** the client's address, for the audit log */
  ip?: string | null;
}

/** The context for one HTTP request: the session cookie decides who is calling. */
export async function createContextFor(database: Db, req: Request): Promise<Context> {
  const session = await resolveSession(database, readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  return { db: database, user: session?.user ?? null, sessionId: session?.sessionId ?? null, ip: clientInfo(req).ip ?? null };
}

export function createContext(opts: { req: Request }): Promise<Context> {
  return createContextFor(db(), opts.req);
}

/** What a procedure declares about itself: its access rule, and whether a mutation is worth an audit row. */
export interface Meta {
  role?: Rule;
  /** false for mutations that change nothing (e.g. validating a document) */
  audit?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const zod = cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null;
      // Errors that did not pass the middleware (input parsing, subscriptions) are mapped here; an
      // unexpected error's own text (a Prisma query, a TypeError) is replaced by a generic sentence.
      const mapped = zod ? error : toTRPCError(error);
      return {
        ...shape,
        message: zod ? "输入有误 (invalid input): " + zod.map((z) => `${z.path || "(root)"}: ${z.message}`).join("; ") : mapped.message,
        code: shape.code,
        data: { ...shape.data, code: mapped.code, zodIssues: zod, stack: undefined },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
/**
 * Turns whatever a resolver threw into the tRPC error the caller receives (server/api/errors.ts): a
 * DomainError's code and message, or INTERNAL_SERVER_ERROR with a generic message (logged here).
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error);
    if (mapped !== result.error) return { ...result, error: mapped } as typeof result;
  }
  return result;
});

/**
 * Every mutation a signed-in user makes — allowed or refused — becomes an audit row: action = the
 * procedure path, the entity from the input's id fields (or the created entity's id), details = the input
 * with secrets redacted (server/auth/audit.ts). Anonymous calls are refused before they do anything and
 * are not logged (they would let anyone flood the log).
 */
const auditMutations = t.middleware(async ({ ctx, type, path, meta, getRawInput, next }) => {
  if (type !== "mutation" || meta?.audit === false || !ctx.user) return next();
  const result = await next();
  try {
    const input = await getRawInput().catch(() => undefined);
    const { entityType, entityId } = auditEntity(path, input, result.ok ? result.data : undefined);
    const code = result.ok ? null : toTRPCError(result.error).code;
    await writeAudit(ctx.db, {
      actor: ctx.user.email,
      actorId: ctx.user.id,
      action: path,
      entityType,
      entityId,
      details: { input, ...(code ? { error: code } : {}) },
      ip: ctx.ip,
      ok: result.ok,
    });
  } catch (e) {
    // the change itself has happened; a failed audit write is an operator's problem, loudly logged
    logInternal(e, "audit");
  }
  return result;
});

/** The one guard: the procedure's declared rule against the caller (server/auth/policy.ts); no rule → refused. */
const enforcePolicy = t.middleware(({ ctx, meta, next }) => {
  const decision = authorize(meta?.role, ctx.user);
  if (!decision.ok) throw new TRPCError({ code: decision.code, message: decision.message });
  return next();
});

const guarded = t.procedure.use(mapErrors).use(auditMutations).use(enforcePolicy);

/** Callable without signing in — only for the procedures listed in policy.PUBLIC_PROCEDURES. */
export const publicProcedure = guarded.meta({ role: "public" });
/** read: schemes, runs, ledger, monitor, catalogue, connections list */
export const viewerProcedure = guarded.meta({ role: "viewer" });
/** design, run, rerun, cancel, schedules, preview, imports/exports */
export const editorProcedure = guarded.meta({ role: "editor" });
/** users, connections and their secrets, settings, audit log */
export const adminProcedure = guarded.meta({ role: "admin" });
