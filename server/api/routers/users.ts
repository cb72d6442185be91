/**
 * User management for admins (the rules live in server/auth/users.ts, shared with the CLI).
 */
import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "../../auth/passwords";
import { ROLES } from "../../auth/policy";
import { addUser, disableUser, enableUser, listUsers, resetPassword, setRole } from "../../auth/users";
import { adminProcedure, createTRPCRouter } from "../trpc";

const Role = z.enum(ROLES);
const Id = z.object({ id: z.string().min(1) });
const Password = z.string().max(MAX_PASSWORD_LENGTH);

export const usersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  add: adminProcedure
    .input(z.object({ email: z.string().trim().min(3).max(254), name: z.string().trim().max(100).optional(), role: Role, password: Password }))
    .mutation(({ ctx, input }) => addUser(ctx.db, input)),
  setRole: adminProcedure.input(z.object({ id: z.string().min(1), role: Role })).mutation(({ ctx, input }) => setRole(ctx.db, input.id, input.role)),
  disable: adminProcedure.input(Id).mutation(({ ctx, input }) => disableUser(ctx.db, { id: input.id })),
  enable: adminProcedure.input(Id).mutation(({ ctx, input }) => enableUser(ctx.db, input.id)),
  resetPassword: adminProcedure.input(z.object({ id: z.string().min(1), password: Password })).mutation(({ ctx, input }) => resetPassword(ctx.db, input.id, input.password)),
});
