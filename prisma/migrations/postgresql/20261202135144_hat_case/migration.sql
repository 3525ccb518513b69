-- CreateTable
CREATE TABLE "HatCase" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "traits" TEXT NOT NULL DEFAULT '[]',
    "symptoms" TEXT NOT NULL DEFAULT '[]',
    "reinforcingLoops" TEXT NOT NULL DEFAULT '[]',
    "balancingLoops" TEXT NOT NULL DEFAULT '[]',
    "submissionKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HatCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HatCase_submissionKey_key" ON "HatCase"("submissionKey");

-- CreateIndex
CREATE INDEX "HatCase_teamId_createdAt_idx" ON "HatCase"("teamId", "createdAt");

-- AddForeignKey
ALTER TABLE "HatCase" ADD CONSTRAINT "HatCase_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
