-- DropIndex
DROP INDEX "SyncRecord_flowId_status_idx";

-- DropIndex
DROP INDEX "SyncRecord_flowId_sourceId_key";

-- DropIndex
DROP INDEX "SyncIntent_flowId_idx";

-- AlterTable
ALTER TABLE "SyncRecord" DROP CONSTRAINT "SyncRecord_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "SyncRecord_pkey" PRIMARY KEY ("flowId", "sourceId");

-- AlterTable
ALTER TABLE "SyncIntent" ADD COLUMN     "open" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "SyncRecord_flowId_status_batchId_idx" ON "SyncRecord"("flowId", "status", "batchId");

-- CreateIndex
CREATE INDEX "SyncIntent_flowId_open_idx" ON "SyncIntent"("flowId", "open");

