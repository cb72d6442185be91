/**
 * System information and connections list for the settings and connections screens.
 * Secrets never leave the server: connections are returned without their secret blob.
 */
import { z } from "zod";
import { env } from "../../env";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  info: publicProcedure.query(() => {
    const e = env();
    return { provider: e.provider, dataDir: e.provider === "sqlite" ? e.dataDir : null, sandbox: e.sandbox, version: "0.1.0" };
  }),
  connections: publicProcedure.input(z.object({}).optional()).query(async ({ ctx }) => {
    return ctx.db.connection.findMany({
      orderBy: [{ sandbox: "desc" }, { name: "asc" }],
      select: { id: true, name: true, vendor: true, baseUrl: true, sandbox: true, settings: true, updatedAt: true, secretBlob: false },
    });
  }),
});
