-- DropIndex
DROP INDEX "SyncRecord_lastRunId_status_idx";

