-- CreateTable
CREATE TABLE "PersonPrefs" (
    "slackTeamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reviewReminder" TEXT NOT NULL DEFAULT 'channel',
    "debriefReminder" TEXT NOT NULL DEFAULT 'channel',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PersonPrefs_pkey" PRIMARY KEY ("slackTeamId","userId")
);

-- CreateTable
CREATE TABLE "QuietDay" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "teamId" TEXT,
    "userId" TEXT,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuietDay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QuietDay_teamId_toDate_idx" ON "QuietDay"("teamId", "toDate");

-- CreateIndex
CREATE INDEX "QuietDay_slackTeamId_userId_toDate_idx" ON "QuietDay"("slackTeamId", "userId", "toDate");
