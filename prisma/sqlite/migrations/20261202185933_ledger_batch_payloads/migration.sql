-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SyncRecord" (
    "flowId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "number" TEXT,
    "hash" TEXT,
    "status" TEXT NOT NULL,
    "targetId" TEXT,
    "targetNumber" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastRunId" TEXT,
    "firstRunId" TEXT,
    "batchId" TEXT,
    "sourcePayload" JSONB,
    "mappedPayload" JSONB,
    "targetResponse" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("flowId", "sourceId"),
    CONSTRAINT "SyncRecord_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_SyncRecord" ("attempts", "batchId", "createdAt", "firstRunId", "flowId", "hash", "lastError", "lastRunId", "mappedPayload", "number", "sourceId", "sourcePayload", "status", "targetId", "targetNumber", "targetResponse", "updatedAt") SELECT "attempts", "batchId", "createdAt", "firstRunId", "flowId", "hash", "lastError", "lastRunId", "mappedPayload", "number", "sourceId", "sourcePayload", "status", "targetId", "targetNumber", "targetResponse", "updatedAt" FROM "SyncRecord";
DROP TABLE "SyncRecord";
ALTER TABLE "new_SyncRecord" RENAME TO "SyncRecord";
CREATE INDEX "SyncRecord_flowId_status_batchId_idx" ON "SyncRecord"("flowId", "status", "batchId");
CREATE INDEX "SyncRecord_flowId_number_idx" ON "SyncRecord"("flowId", "number");
CREATE TABLE "new_SyncIntent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "rows" TEXT NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncIntent_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_SyncIntent" ("createdAt", "flowId", "id", "rows", "runId", "size") SELECT "createdAt", "flowId", "id", "rows", "runId", "size" FROM "SyncIntent";
DROP TABLE "SyncIntent";
ALTER TABLE "new_SyncIntent" RENAME TO "SyncIntent";
CREATE INDEX "SyncIntent_flowId_open_idx" ON "SyncIntent"("flowId", "open");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

