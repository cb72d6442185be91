/**
 * Workspace settings for admins: the outbound address policy (server/auth/settings.ts).
 */
import { OutboundPolicySchema, getOutboundPolicy, setOutboundPolicy } from "../../auth/settings";
import { adminProcedure, createTRPCRouter } from "../trpc";

export const settingsRouter = createTRPCRouter({
  get: adminProcedure.query(({ ctx }) => getOutboundPolicy(ctx.db)),
  update: adminProcedure.input(OutboundPolicySchema.partial()).mutation(({ ctx, input }) => setOutboundPolicy(ctx.db, input, ctx.user?.email ?? null)),
});
