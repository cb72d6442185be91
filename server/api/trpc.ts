/**
 * tRPC initialisation: context, the error formatter, and the procedure builders every router uses.
 *
 * Why one file: one error shape for the whole API (code + message + zod field errors), so the UI shows
 * every failure the same way.
 */
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { db, type Db } from "../db";
import { toTRPCError } from "./errors";

export interface Context {
  db: Db;
}

export function createContext(): Context {
  return { db: db() };
}

const t = initTRPC.context<Context>().create({
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
export const publicProcedure = t.procedure.use(mapErrors);
