-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "alarmsDueAt" TIMESTAMP(3),
ADD COLUMN     "debriefsDueAt" TIMESTAMP(3),
ADD COLUMN     "deviationsDueAt" TIMESTAMP(3),
ADD COLUMN     "rollupsDueAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Team_deviationsDueAt_idx" ON "Team"("deviationsDueAt");

-- CreateIndex
CREATE INDEX "Team_debriefsDueAt_idx" ON "Team"("debriefsDueAt");

-- CreateIndex
CREATE INDEX "Team_alarmsDueAt_idx" ON "Team"("alarmsDueAt");

-- CreateIndex
CREATE INDEX "Team_rollupsDueAt_idx" ON "Team"("rollupsDueAt");
