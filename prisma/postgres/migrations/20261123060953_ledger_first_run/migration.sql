-- AlterTable
ALTER TABLE "SyncRecord" ADD COLUMN     "firstRunId" TEXT;

