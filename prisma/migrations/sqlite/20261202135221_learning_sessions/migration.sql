-- CreateTable
CREATE TABLE "LearningSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "speakerId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "timezone" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "channels" TEXT NOT NULL,
    "recordingUrl" TEXT NOT NULL DEFAULT '',
    "slidesUrl" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "nextDueAt" DATETIME,
    CONSTRAINT "LearningSession_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LearningSession_nextDueAt_idx" ON "LearningSession"("nextDueAt");

-- CreateIndex
CREATE INDEX "LearningSession_slackTeamId_startsAt_idx" ON "LearningSession"("slackTeamId", "startsAt");
