/**
 * The one place where errors of every layer become tRPC errors a person can act on.
 *
 * Why: connectors, the flow store, the mapping layer, runs and the routers throw DomainErrors
 * (server/errors.ts) with a stable code and a message meant for a person; the browser gets exactly that
 * code and message. Everything else — a TypeError (a bug), a Prisma invocation error with its query
 * text — is logged here with its stack and answered with a generic sentence: its text never reaches a
 * user. Nothing is matched by class name: `instanceof DomainError` and its `code` decide.
 */
import { TRPCError } from "@trpc/server";
import { DomainError, type DomainErrorCode } from "@/server/errors";

/** An error a router throws on purpose (a DomainError, with optional structured details for the UI). */
export class AppError extends DomainError {
  constructor(code: DomainErrorCode, message: string, details?: unknown) {
    super(code, message, details === undefined ? undefined : { details });
  }
}

/** Prisma's own error codes that say something a person can act on (the rest is internal). */
function prismaCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined;
}

/** What a person sees for anything that is not a DomainError (not even the class name: it is not theirs to act on). */
export const INTERNAL_MESSAGE = "服务器内部错误，详情见服务器日志 (internal error; see the server log)";

const logged = new WeakSet<object>();

/** Logs an unexpected error once (the middleware and the formatter may both see it). */
export function logInternal(e: unknown, where = "api"): void {
  if (e && typeof e === "object") {
    if (logged.has(e)) return;
    logged.add(e);
  }
  console.error(`[${where}] unexpected error:`, e);
}

/** Maps any thrown value to a TRPCError (used by the error middleware and the error formatter). */
export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) {
    // tRPC wraps whatever a resolver threw into INTERNAL_SERVER_ERROR with the thrown value as cause
    if (e.code === "INTERNAL_SERVER_ERROR" && e.cause && e.cause !== e && !(e.cause instanceof TRPCError)) return toTRPCError(e.cause);
    return e;
  }
  if (e instanceof DomainError) return new TRPCError({ code: e.code, message: e.message, cause: e });
  const prisma = prismaCode(e);
  if (prisma === "P2025") return new TRPCError({ code: "NOT_FOUND", message: "记录不存在或已被删除 (not found)", cause: e as Error });
  if (prisma === "P2002") return new TRPCError({ code: "CONFLICT", message: "名称或编号已存在 (already exists)", cause: e as Error });
  logInternal(e);
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE, cause: e instanceof Error ? e : undefined });
}
