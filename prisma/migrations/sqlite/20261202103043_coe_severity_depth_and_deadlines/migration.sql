-- AlterTable
ALTER TABLE "Team" ADD COLUMN "fullCoeSeverities" TEXT NOT NULL DEFAULT 'sev1,sev2';
ALTER TABLE "Team" ADD COLUMN "coeDeepDiveHours" INTEGER NOT NULL DEFAULT 48;

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN "coeCheckAt" DATETIME;

-- CreateIndex
CREATE INDEX "Incident_coeCheckAt_idx" ON "Incident"("coeCheckAt");
