/**
 * The one place where errors of every layer become tRPC errors a person can act on.
 *
 * Why: connectors throw ConnectorError, the flow compiler reports problems, Prisma throws its own
 * codes; the browser should get a stable code plus a human message, never a stack trace.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/** A domain error thrown by our own server code with a message meant for the user. */
export class AppError extends Error {
  constructor(
    public readonly code: TRPC_ERROR_CODE_KEY,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

type ErrorLike = { name?: string; message?: string; code?: unknown; failureType?: unknown };

/** Maps any thrown value to a TRPCError (used by the error formatter and by procedures that catch). */
export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  if (e instanceof AppError) return new TRPCError({ code: e.code, message: e.message, cause: e });
  const err = (e ?? {}) as ErrorLike;
  // Domain errors of the other layers, known by name so this module imports none of them.
  const byName: Record<string, TRPC_ERROR_CODE_KEY> = {
    FlowNotFoundError: "NOT_FOUND",
    FlowVersionConflictError: "CONFLICT",
    FlowDocumentError: "BAD_REQUEST",
    QeasyImportError: "BAD_REQUEST",
  };
  if (err.name && err.name in byName) return new TRPCError({ code: byName[err.name], message: String(err.message), cause: e as Error });
  if (err.name === "RunError" && typeof err.code === "string") return new TRPCError({ code: err.code as TRPC_ERROR_CODE_KEY, message: String(err.message), cause: e as Error });
  if (err.name === "ConnectorError") {
    const code: TRPC_ERROR_CODE_KEY = err.failureType === "config" ? "PRECONDITION_FAILED" : "BAD_GATEWAY";
    return new TRPCError({ code, message: String(err.message), cause: e as Error });
  }
  if (err.code === "P2025") return new TRPCError({ code: "NOT_FOUND", message: "记录不存在 (not found)", cause: e as Error });
  if (err.code === "P2002") return new TRPCError({ code: "CONFLICT", message: "名称或编号已存在 (already exists)", cause: e as Error });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "服务器内部错误 (internal error)", cause: e as Error });
}
