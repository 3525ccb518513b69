-- AlterTable
ALTER TABLE "Review" DROP COLUMN "postAttempts",
DROP COLUMN "postingStartedAt";
