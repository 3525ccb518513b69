-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "workspaceAway" BOOLEAN NOT NULL DEFAULT false;
