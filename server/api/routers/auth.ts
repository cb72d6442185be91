/**
 * Who am I: the one procedure an anonymous browser may call. Signing in and out happens over plain HTTP
 * (app/api/auth/*) because it sets and clears the session cookie.
 */
import { setupRequired } from "../../auth/setup";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  me: publicProcedure.query(async ({ ctx }) => ({
    user: ctx.user ? { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, role: ctx.user.role } : null,
    setupRequired: await setupRequired(ctx.db),
  })),
});
