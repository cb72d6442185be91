/**
 * The base of every error our own code throws on purpose: a stable code and a message meant for a
 * person.
 *
 * Why this exists: the API maps errors to HTTP/tRPC answers, the engine decides what to retry, the UI
 * words what went wrong — all of them need to know *what kind* of failure a thrown value is. They ask
 * with `instanceof DomainError` and read `code`, never by matching class-name strings. Anything that is
 * not a DomainError (a TypeError, a Prisma invocation error) is a bug or an infrastructure fault: it is
 * never retried as transient and its text never reaches a user.
 *
 * This module imports nothing, so every layer (engine, connectors, mapping, flows, runs, api) may use it.
 */

/** What kind of failure; the names match tRPC's error codes so the API maps them one to one. */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT"
  | "INTERNAL_SERVER_ERROR";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.details = options?.details;
  }

  /** structured data for the UI (e.g. per-field problems); never internal text */
  readonly details?: unknown;
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/**
 * The text a person may see for any thrown value: a DomainError's own message; for anything else (a bug,
 * a database driver's invocation text) a generic sentence naming only the error's class — the details
 * belong in the server log, which the caller writes.
 */
export function userMessage(e: unknown): string {
  if (e instanceof DomainError) return e.message;
  const kind = e instanceof Error && e.constructor?.name && e.constructor.name !== "Error" ? `（${e.constructor.name}）` : "";
  return `服务器内部错误${kind}，详情见服务器日志 (internal error; see the server log)`;
}
