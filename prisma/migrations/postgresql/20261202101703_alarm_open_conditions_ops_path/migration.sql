-- AlterTable
ALTER TABLE "Alarm" ADD COLUMN     "lastCycle" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stateBy" TEXT;

-- AlterTable
ALTER TABLE "Mechanism" ADD COLUMN     "opsPath" TEXT NOT NULL DEFAULT '';

-- Existing alarms were last seen holding in the cycle they were raised in.
UPDATE "Alarm" SET "lastCycle" = "cycleIndex";
