-- AlterTable
ALTER TABLE "SyncRecord" ADD COLUMN "name" TEXT;

-- AlterTable
ALTER TABLE "SyncRecordHistory" ADD COLUMN "attempt" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT NOT NULL,
    "flowVersionId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'full',
    "options" JSONB,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "parentRunId" TEXT,
    "countRead" INTEGER NOT NULL DEFAULT 0,
    "countFiltered" INTEGER NOT NULL DEFAULT 0,
    "countInvalid" INTEGER NOT NULL DEFAULT 0,
    "countSkipped" INTEGER NOT NULL DEFAULT 0,
    "countWritten" INTEGER NOT NULL DEFAULT 0,
    "countFailed" INTEGER NOT NULL DEFAULT 0,
    "countExpanded" INTEGER NOT NULL DEFAULT 0,
    "sourceTotal" INTEGER,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "checkpoint" JSONB,
    "stageTimings" JSONB,
    "error" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "workerId" TEXT,
    "heartbeatAt" DATETIME,
    "windowStart" DATETIME,
    "windowEnd" DATETIME,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Run_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Run_flowVersionId_fkey" FOREIGN KEY ("flowVersionId") REFERENCES "FlowVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Run_parentRunId_fkey" FOREIGN KEY ("parentRunId") REFERENCES "Run" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("cancelRequested", "checkpoint", "countFailed", "countFiltered", "countInvalid", "countRead", "countSkipped", "countWritten", "createdAt", "error", "finishedAt", "flowId", "flowVersionId", "heartbeatAt", "id", "lastSeq", "mode", "options", "pages", "parentRunId", "sourceTotal", "stageTimings", "startedAt", "status", "trigger", "windowEnd", "windowStart", "workerId") SELECT "cancelRequested", "checkpoint", "countFailed", "countFiltered", "countInvalid", "countRead", "countSkipped", "countWritten", "createdAt", "error", "finishedAt", "flowId", "flowVersionId", "heartbeatAt", "id", "lastSeq", "mode", "options", "pages", "parentRunId", "sourceTotal", "stageTimings", "startedAt", "status", "trigger", "windowEnd", "windowStart", "workerId" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_flowId_createdAt_idx" ON "Run"("flowId", "createdAt");
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");
CREATE INDEX "Run_status_createdAt_idx" ON "Run"("status", "createdAt");
CREATE INDEX "Run_parentRunId_idx" ON "Run"("parentRunId");
-- (hand-added) redefining the table dropped the partial index of *_one_active_run_per_flow: restore it
CREATE UNIQUE INDEX "Run_one_active_per_flow" ON "Run"("flowId") WHERE "status" IN ('queued', 'running');
CREATE TABLE "new_CustomParser" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "expression" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT 'system',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_CustomParser" ("createdAt", "expression", "id", "name", "params", "updatedAt") SELECT "createdAt", "expression", "id", "name", "params", "updatedAt" FROM "CustomParser";
DROP TABLE "CustomParser";
ALTER TABLE "new_CustomParser" RENAME TO "CustomParser";
CREATE UNIQUE INDEX "CustomParser_name_key" ON "CustomParser"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

