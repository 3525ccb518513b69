-- AlterTable
ALTER TABLE "ActionItem" ADD COLUMN     "nudgesDone" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "ActionItem_status_nudgesDone_dueDate_idx" ON "ActionItem"("status", "nudgesDone", "dueDate");
