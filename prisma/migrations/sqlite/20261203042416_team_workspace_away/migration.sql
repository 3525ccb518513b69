-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "fullCoeSeverities" TEXT NOT NULL DEFAULT 'sev1,sev2',
    "coeDeepDiveHours" INTEGER NOT NULL DEFAULT 48,
    "admins" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "deviationsDueAt" DATETIME,
    "debriefsDueAt" DATETIME,
    "alarmsDueAt" DATETIME,
    "rollupsDueAt" DATETIME,
    "workspaceAway" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Team" ("admins", "alarmsDueAt", "cadenceWeeks", "channelId", "coeDeepDiveHours", "createdAt", "createdBy", "cycleAnchor", "debriefDigestTime", "debriefEnabled", "debriefNudge", "debriefTime", "debriefWeekday", "debriefsDueAt", "deviationsDueAt", "fullCoeSeverities", "id", "incidentsChannelId", "name", "reviewTime", "reviewWeekday", "rollupTime", "rollupWeekday", "rollupsDueAt", "slackTeamId", "timezone") SELECT "admins", "alarmsDueAt", "cadenceWeeks", "channelId", "coeDeepDiveHours", "createdAt", "createdBy", "cycleAnchor", "debriefDigestTime", "debriefEnabled", "debriefNudge", "debriefTime", "debriefWeekday", "debriefsDueAt", "deviationsDueAt", "fullCoeSeverities", "id", "incidentsChannelId", "name", "reviewTime", "reviewWeekday", "rollupTime", "rollupWeekday", "rollupsDueAt", "slackTeamId", "timezone" FROM "Team";
DROP TABLE "Team";
ALTER TABLE "new_Team" RENAME TO "Team";
CREATE INDEX "Team_slackTeamId_idx" ON "Team"("slackTeamId");
CREATE INDEX "Team_deviationsDueAt_idx" ON "Team"("deviationsDueAt");
CREATE INDEX "Team_debriefsDueAt_idx" ON "Team"("debriefsDueAt");
CREATE INDEX "Team_alarmsDueAt_idx" ON "Team"("alarmsDueAt");
CREATE INDEX "Team_rollupsDueAt_idx" ON "Team"("rollupsDueAt");
CREATE UNIQUE INDEX "Team_slackTeamId_channelId_key" ON "Team"("slackTeamId", "channelId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
