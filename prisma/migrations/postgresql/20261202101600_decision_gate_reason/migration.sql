-- AlterTable
ALTER TABLE "Decision" ADD COLUMN     "gateReason" TEXT NOT NULL DEFAULT '';
