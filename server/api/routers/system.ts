/**
 * System information for the settings screen (which database, sandbox on or off).
 */
import { env } from "../../env";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  info: viewerProcedure.query(() => {
    const e = env();
    return { provider: e.provider, dataDir: e.provider === "sqlite" ? e.dataDir : null, sandbox: e.sandbox, version: "0.1.0" };
  }),
});
