-- AlterTable
ALTER TABLE "GuardrailReading" ADD COLUMN "decidedAt" DATETIME;
ALTER TABLE "GuardrailReading" ADD COLUMN "decidedBy" TEXT;
ALTER TABLE "GuardrailReading" ADD COLUMN "decision" TEXT;
ALTER TABLE "GuardrailReading" ADD COLUMN "decisionReason" TEXT;
