/**
 * The API's root router; its type is what the browser client is typed against.
 */
import { createTRPCRouter } from "./trpc";
import { flowsRouter } from "./routers/flows";
import { runsRouter } from "./routers/runs";
import { systemRouter } from "./routers/system";

export const appRouter = createTRPCRouter({
  flows: flowsRouter,
  runs: runsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
