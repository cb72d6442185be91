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
    const mapped = error.code === "INTERNAL_SERVER_ERROR" && cause && !zod ? toTRPCError(cause) : error;
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
/** Catches domain errors thrown inside resolvers and turns them into tRPC errors in one place. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && result.error.cause) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped.code !== "INTERNAL_SERVER_ERROR") return { ...result, error: mapped } as typeof result;
  }
  return result;
});
export const publicProcedure = t.procedure.use(mapErrors);
