-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "notedReason" TEXT;

-- AlterTable
ALTER TABLE "Why" ADD COLUMN     "rootCause" BOOLEAN NOT NULL DEFAULT false;
