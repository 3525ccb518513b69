-- CreateTable
CREATE TABLE "HatCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "traits" TEXT NOT NULL DEFAULT '[]',
    "symptoms" TEXT NOT NULL DEFAULT '[]',
    "reinforcingLoops" TEXT NOT NULL DEFAULT '[]',
    "balancingLoops" TEXT NOT NULL DEFAULT '[]',
    "submissionKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "HatCase_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "HatCase_submissionKey_key" ON "HatCase"("submissionKey");

-- CreateIndex
CREATE INDEX "HatCase_teamId_createdAt_idx" ON "HatCase"("teamId", "createdAt");
