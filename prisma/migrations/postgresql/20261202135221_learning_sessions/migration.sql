-- CreateTable
CREATE TABLE "LearningSession" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "speakerId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "timezone" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "channels" TEXT NOT NULL,
    "recordingUrl" TEXT NOT NULL DEFAULT '',
    "slidesUrl" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "nextDueAt" TIMESTAMP(3),

    CONSTRAINT "LearningSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LearningSession_nextDueAt_idx" ON "LearningSession"("nextDueAt");

-- CreateIndex
CREATE INDEX "LearningSession_slackTeamId_startsAt_idx" ON "LearningSession"("slackTeamId", "startsAt");

-- AddForeignKey
ALTER TABLE "LearningSession" ADD CONSTRAINT "LearningSession_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
