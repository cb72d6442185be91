-- CreateTable
CREATE TABLE "SyncIntent" (
    "id" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "rows" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncIntent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncIntent_flowId_idx" ON "SyncIntent"("flowId");

-- AddForeignKey
ALTER TABLE "SyncIntent" ADD CONSTRAINT "SyncIntent_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

