/**
 * The audit log for admins: newest first, filtered, paged by cursor. Read-only — there is no procedure
 * that changes or deletes an audit row.
 */
import { z } from "zod";
import { listAudit } from "../../auth/audit";
import { adminProcedure, createTRPCRouter } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      z
        .object({
          cursor: z.string().nullish(),
          limit: z.number().int().min(1).max(200).default(50),
          actor: z.string().trim().max(254).optional(),
          action: z.string().trim().max(100).optional(),
          entityType: z.string().trim().max(50).optional(),
          entityId: z.string().trim().max(100).optional(),
          ok: z.boolean().optional(),
          from: z.date().optional(),
          to: z.date().optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
