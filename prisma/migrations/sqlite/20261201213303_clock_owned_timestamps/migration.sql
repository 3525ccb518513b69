-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DebriefRound" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "promptAt" DATETIME NOT NULL,
    "digestAt" DATETIME NOT NULL,
    "nudgeAt" DATETIME,
    "localDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "messageChannelId" TEXT,
    "messageTs" TEXT,
    "digestTs" TEXT,
    "nudgedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "DebriefRound_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DebriefRound" ("createdAt", "digestAt", "digestTs", "id", "localDate", "messageChannelId", "messageTs", "nudgeAt", "nudgedAt", "promptAt", "status", "teamId") SELECT "createdAt", "digestAt", "digestTs", "id", "localDate", "messageChannelId", "messageTs", "nudgeAt", "nudgedAt", "promptAt", "status", "teamId" FROM "DebriefRound";
DROP TABLE "DebriefRound";
ALTER TABLE "new_DebriefRound" RENAME TO "DebriefRound";
CREATE INDEX "DebriefRound_status_digestAt_idx" ON "DebriefRound"("status", "digestAt");
CREATE UNIQUE INDEX "DebriefRound_teamId_promptAt_key" ON "DebriefRound"("teamId", "promptAt");
CREATE TABLE "new_JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "detail" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_JobRun" ("attempts", "createdAt", "detail", "id", "job", "key", "status", "updatedAt") SELECT "attempts", "createdAt", "detail", "id", "job", "key", "status", "updatedAt" FROM "JobRun";
DROP TABLE "JobRun";
ALTER TABLE "new_JobRun" RENAME TO "JobRun";
CREATE UNIQUE INDEX "JobRun_job_key_key" ON "JobRun"("job", "key");
CREATE TABLE "new_Mechanism" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "aim" TEXT NOT NULL,
    "aimForWhom" TEXT NOT NULL,
    "aimFrom" REAL NOT NULL,
    "aimTo" REAL NOT NULL,
    "aimUnit" TEXT NOT NULL DEFAULT '',
    "aimBy" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "checkpointRule" TEXT NOT NULL,
    "guardrail" TEXT NOT NULL,
    "stopOwnerId" TEXT,
    "rollbackPath" TEXT NOT NULL,
    "ownerId" TEXT,
    "cadenceWeeks" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "nextReviewAt" DATETIME,
    "messageChannelId" TEXT,
    "messageTs" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME,
    CONSTRAINT "Mechanism_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Mechanism" ("aim", "aimBy", "aimForWhom", "aimFrom", "aimTo", "aimUnit", "cadenceWeeks", "checkpointRule", "createdAt", "createdBy", "guardrail", "id", "messageChannelId", "messageTs", "nextReviewAt", "ownerId", "rollbackPath", "statement", "status", "stopOwnerId", "stoppedAt", "teamId", "title") SELECT "aim", "aimBy", "aimForWhom", "aimFrom", "aimTo", "aimUnit", "cadenceWeeks", "checkpointRule", "createdAt", "createdBy", "guardrail", "id", "messageChannelId", "messageTs", "nextReviewAt", "ownerId", "rollbackPath", "statement", "status", "stopOwnerId", "stoppedAt", "teamId", "title" FROM "Mechanism";
DROP TABLE "Mechanism";
ALTER TABLE "new_Mechanism" RENAME TO "Mechanism";
CREATE INDEX "Mechanism_teamId_status_idx" ON "Mechanism"("teamId", "status");
CREATE INDEX "Mechanism_status_nextReviewAt_idx" ON "Mechanism"("status", "nextReviewAt");
CREATE TABLE "new_Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "postingStartedAt" DATETIME,
    "postAttempts" INTEGER NOT NULL DEFAULT 0,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "messageChannelId" TEXT,
    "messageTs" TEXT,
    "createdAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "Review_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Review" ("completedAt", "createdAt", "dueAt", "id", "late", "mechanismId", "messageChannelId", "messageTs", "postAttempts", "postingStartedAt", "status") SELECT "completedAt", "createdAt", "dueAt", "id", "late", "mechanismId", "messageChannelId", "messageTs", "postAttempts", "postingStartedAt", "status" FROM "Review";
DROP TABLE "Review";
ALTER TABLE "new_Review" RENAME TO "Review";
CREATE INDEX "Review_status_dueAt_idx" ON "Review"("status", "dueAt");
CREATE UNIQUE INDEX "Review_mechanismId_dueAt_key" ON "Review"("mechanismId", "dueAt");
CREATE TABLE "new_Team" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "reviewWeekday" INTEGER NOT NULL,
    "reviewTime" TEXT NOT NULL,
    "cadenceWeeks" INTEGER NOT NULL,
    "cycleAnchor" DATETIME NOT NULL,
    "debriefEnabled" BOOLEAN NOT NULL DEFAULT true,
    "debriefWeekday" INTEGER NOT NULL DEFAULT 5,
    "debriefTime" TEXT NOT NULL DEFAULT '15:00',
    "debriefDigestTime" TEXT NOT NULL DEFAULT '17:00',
    "debriefNudge" BOOLEAN NOT NULL DEFAULT false,
    "rollupWeekday" INTEGER NOT NULL DEFAULT 1,
    "rollupTime" TEXT NOT NULL DEFAULT '09:00',
    "incidentsChannelId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_Team" ("cadenceWeeks", "channelId", "createdAt", "createdBy", "cycleAnchor", "debriefDigestTime", "debriefEnabled", "debriefNudge", "debriefTime", "debriefWeekday", "id", "incidentsChannelId", "name", "reviewTime", "reviewWeekday", "rollupTime", "rollupWeekday", "slackTeamId", "timezone") SELECT "cadenceWeeks", "channelId", "createdAt", "createdBy", "cycleAnchor", "debriefDigestTime", "debriefEnabled", "debriefNudge", "debriefTime", "debriefWeekday", "id", "incidentsChannelId", "name", "reviewTime", "reviewWeekday", "rollupTime", "rollupWeekday", "slackTeamId", "timezone" FROM "Team";
DROP TABLE "Team";
ALTER TABLE "new_Team" RENAME TO "Team";
CREATE INDEX "Team_slackTeamId_idx" ON "Team"("slackTeamId");
CREATE UNIQUE INDEX "Team_slackTeamId_channelId_key" ON "Team"("slackTeamId", "channelId");
CREATE TABLE "new_Workspace" (
    "slackTeamId" TEXT NOT NULL PRIMARY KEY,
    "rollupChannelId" TEXT,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("createdAt", "rollupChannelId", "slackTeamId") SELECT "createdAt", "rollupChannelId", "slackTeamId" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
