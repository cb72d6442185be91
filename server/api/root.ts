/**
 * The API's root router; its type is what the browser client is typed against.
 */
import { createTRPCRouter } from "./trpc";
import { flowsRouter } from "./routers/flows";
import { runsRouter } from "./routers/runs";
import { recordsRouter } from "./routers/records";
import { schedulesRouter } from "./routers/schedules";
import { systemRouter } from "./routers/system";

export const appRouter = createTRPCRouter({
  flows: flowsRouter,
  runs: runsRouter,
  records: recordsRouter,
  schedules: schedulesRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
