-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "countExpanded" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "SyncRecord" ADD COLUMN     "name" TEXT;

-- AlterTable
ALTER TABLE "SyncRecordHistory" ADD COLUMN     "attempt" INTEGER;

-- AlterTable
ALTER TABLE "CustomParser" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "updatedBy" TEXT NOT NULL DEFAULT 'system';

