/**
 * The API's root router; its type is what the browser client is typed against.
 */
import { createTRPCRouter } from "./trpc";
import { flowsRouter } from "./routers/flows";
import { runsRouter } from "./routers/runs";
import { recordsRouter } from "./routers/records";
import { schedulesRouter } from "./routers/schedules";
import { runEventsRouter } from "./routers/run-events";
import { systemRouter } from "./routers/system";
import { monitorRouter } from "./routers/monitor";
import { catalogueRouter } from "./routers/catalogue";
import { connectionsRouter } from "./routers/connections";
import { previewRouter } from "./routers/preview";
import { qeasyRouter } from "./routers/qeasy";
import { authRouter } from "./routers/auth";
import { usersRouter } from "./routers/users";
import { auditRouter } from "./routers/audit";
import { settingsRouter } from "./routers/settings";

export const appRouter = createTRPCRouter({
  flows: flowsRouter,
  runs: runsRouter,
  records: recordsRouter,
  schedules: schedulesRouter,
  runEvents: runEventsRouter,
  system: systemRouter,
  monitor: monitorRouter,
  catalogue: catalogueRouter,
  connections: connectionsRouter,
  preview: previewRouter,
  qeasy: qeasyRouter,
  auth: authRouter,
  users: usersRouter,
  audit: auditRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
