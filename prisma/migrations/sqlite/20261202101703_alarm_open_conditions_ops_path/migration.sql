-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Alarm" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "cycleIndex" INTEGER NOT NULL,
    "evidence" TEXT NOT NULL,
    "suggestion" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "snoozeUntil" INTEGER,
    "lastCycle" INTEGER NOT NULL DEFAULT 0,
    "stateBy" TEXT,
    "messageTs" TEXT,
    "raisedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    CONSTRAINT "Alarm_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Alarm" ("cycleIndex", "evidence", "id", "kind", "messageTs", "raisedAt", "resolvedAt", "snoozeUntil", "status", "subjectKey", "suggestion", "teamId") SELECT "cycleIndex", "evidence", "id", "kind", "messageTs", "raisedAt", "resolvedAt", "snoozeUntil", "status", "subjectKey", "suggestion", "teamId" FROM "Alarm";
DROP TABLE "Alarm";
ALTER TABLE "new_Alarm" RENAME TO "Alarm";
CREATE INDEX "Alarm_teamId_status_idx" ON "Alarm"("teamId", "status");
CREATE UNIQUE INDEX "Alarm_teamId_kind_subjectKey_cycleIndex_key" ON "Alarm"("teamId", "kind", "subjectKey", "cycleIndex");
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
    "opsPath" TEXT NOT NULL DEFAULT '',
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
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Existing alarms were last seen holding in the cycle they were raised in.
UPDATE "Alarm" SET "lastCycle" = "cycleIndex";
