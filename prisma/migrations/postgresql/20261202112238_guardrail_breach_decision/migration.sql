-- AlterTable
ALTER TABLE "GuardrailReading" ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedBy" TEXT,
ADD COLUMN     "decision" TEXT,
ADD COLUMN     "decisionReason" TEXT;
