-- AlterTable
ALTER TABLE "DebriefRound" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "JobRun" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Mechanism" DROP COLUMN "updatedAt",
ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Review" ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Team" DROP COLUMN "updatedAt",
ALTER COLUMN "createdAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Workspace" DROP COLUMN "updatedAt",
ALTER COLUMN "createdAt" DROP DEFAULT;
