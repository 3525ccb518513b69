-- AlterTable
ALTER TABLE "Team" ADD COLUMN "alarmsDueAt" DATETIME;
ALTER TABLE "Team" ADD COLUMN "debriefsDueAt" DATETIME;
ALTER TABLE "Team" ADD COLUMN "deviationsDueAt" DATETIME;
ALTER TABLE "Team" ADD COLUMN "rollupsDueAt" DATETIME;

-- CreateIndex
CREATE INDEX "Team_deviationsDueAt_idx" ON "Team"("deviationsDueAt");

-- CreateIndex
CREATE INDEX "Team_debriefsDueAt_idx" ON "Team"("debriefsDueAt");

-- CreateIndex
CREATE INDEX "Team_alarmsDueAt_idx" ON "Team"("alarmsDueAt");

-- CreateIndex
CREATE INDEX "Team_rollupsDueAt_idx" ON "Team"("rollupsDueAt");
