-- At most one queued or running run per flow, enforced by the database (hand-written: the Prisma schema
-- language cannot express a partial index, so schema.base.prisma only mentions it). Two runs of one
-- flow at once would race on the same ledger rows. Every path that creates a run (the API, the
-- scheduler, the CLI, reruns) meets this index and answers "already running" instead.

-- Older versions could leave several active runs of one flow (e.g. queued behind a running one):
-- keep the best of each flow (running before queued, then the oldest), cancel the others.
UPDATE "Run" SET "status" = 'cancelled',
  "finishedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'),
  "error" = '升级时发现同一方案有多个排队或运行中的运行，仅保留一个，其余已取消 (duplicate active run cancelled on upgrade)'
WHERE "status" IN ('queued', 'running') AND EXISTS (
  SELECT 1 FROM "Run" AS o
  WHERE o."flowId" = "Run"."flowId" AND o."id" <> "Run"."id" AND o."status" IN ('queued', 'running')
    AND (CASE o."status" WHEN 'running' THEN 0 ELSE 1 END, o."createdAt", o."id")
      < (CASE "Run"."status" WHEN 'running' THEN 0 ELSE 1 END, "Run"."createdAt", "Run"."id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Run_one_active_per_flow" ON "Run"("flowId") WHERE "status" IN ('queued', 'running');
