-- CreateTable
CREATE TABLE "Workspace" (
    "slackTeamId" TEXT NOT NULL PRIMARY KEY,
    "rollupChannelId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Team" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Mechanism" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME,
    CONSTRAINT "Mechanism_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Signal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseline" REAL NOT NULL,
    "target" REAL NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Signal_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Reading" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "signalId" TEXT NOT NULL,
    "reviewId" TEXT,
    "value" REAL NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "Reading_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Reading_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "postingStartedAt" DATETIME,
    "postAttempts" INTEGER NOT NULL DEFAULT 0,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "messageChannelId" TEXT,
    "messageTs" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "Review_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "reviewId" TEXT,
    "decision" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "whatChanged" TEXT NOT NULL DEFAULT '',
    "whatDidnt" TEXT NOT NULL DEFAULT '',
    "why" TEXT NOT NULL DEFAULT '',
    "changeDetail" TEXT NOT NULL DEFAULT '',
    "checkpoint" TEXT NOT NULL DEFAULT 'unknown',
    "source" TEXT NOT NULL,
    "decidedBy" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL,
    CONSTRAINT "Decision_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Decision_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "detail" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Deviation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "area" TEXT NOT NULL,
    "deviation" TEXT NOT NULL,
    "hypothesis" TEXT NOT NULL,
    "benefit" TEXT NOT NULL,
    "risk" TEXT NOT NULL,
    "cycleIndex" INTEGER NOT NULL,
    "sensitive" BOOLEAN NOT NULL DEFAULT false,
    "approverId" TEXT,
    "ownerId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT '',
    "verdict" TEXT NOT NULL DEFAULT 'open',
    "createdAt" DATETIME NOT NULL,
    "decidedAt" DATETIME,
    CONSTRAINT "Deviation_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DebriefRound" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DebriefRound_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DebriefAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roundId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "shipped" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '',
    "blockers" TEXT NOT NULL DEFAULT '',
    "threadTs" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DebriefAnswer_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "DebriefRound" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Alarm" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "cycleIndex" INTEGER NOT NULL,
    "evidence" TEXT NOT NULL,
    "suggestion" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "snoozeUntil" INTEGER,
    "messageTs" TEXT,
    "raisedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    CONSTRAINT "Alarm_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "impact" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL,
    "detectedAt" DATETIME NOT NULL,
    "mitigatedAt" DATETIME,
    "resolvedAt" DATETIME,
    "howNoticed" TEXT NOT NULL DEFAULT '',
    "howMitigated" TEXT NOT NULL DEFAULT '',
    "learned" TEXT NOT NULL DEFAULT '',
    "sourceLink" TEXT,
    "reporterId" TEXT NOT NULL,
    "reporterTz" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "completedAt" DATETIME,
    "channelId" TEXT,
    "messageTs" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Incident_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TimelineEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "incidentId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "text" TEXT NOT NULL,
    CONSTRAINT "TimelineEntry_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Why" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "incidentId" TEXT NOT NULL,
    "parentId" TEXT,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Why_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Why_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Why" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Factor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "incidentId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    CONSTRAINT "Factor_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "incidentId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Finding_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "findingId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ticketUrl" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "reason" TEXT NOT NULL DEFAULT '',
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ActionItem_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActionItemEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actionItemId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromDate" TEXT,
    "toDate" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "by" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "ActionItemEvent_actionItemId_fkey" FOREIGN KEY ("actionItemId") REFERENCES "ActionItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "IncidentTag" (
    "incidentId" TEXT NOT NULL,
    "tagId" TEXT NOT NULL,

    PRIMARY KEY ("incidentId", "tagId"),
    CONSTRAINT "IncidentTag_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IncidentTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Team_slackTeamId_idx" ON "Team"("slackTeamId");

-- CreateIndex
CREATE UNIQUE INDEX "Team_slackTeamId_channelId_key" ON "Team"("slackTeamId", "channelId");

-- CreateIndex
CREATE INDEX "Mechanism_teamId_status_idx" ON "Mechanism"("teamId", "status");

-- CreateIndex
CREATE INDEX "Mechanism_status_nextReviewAt_idx" ON "Mechanism"("status", "nextReviewAt");

-- CreateIndex
CREATE UNIQUE INDEX "Signal_mechanismId_kind_key" ON "Signal"("mechanismId", "kind");

-- CreateIndex
CREATE INDEX "Reading_signalId_recordedAt_idx" ON "Reading"("signalId", "recordedAt");

-- CreateIndex
CREATE INDEX "Review_status_dueAt_idx" ON "Review"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Review_mechanismId_dueAt_key" ON "Review"("mechanismId", "dueAt");

-- CreateIndex
CREATE INDEX "Decision_mechanismId_decidedAt_idx" ON "Decision"("mechanismId", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_key_key" ON "JobRun"("job", "key");

-- CreateIndex
CREATE INDEX "Deviation_teamId_cycleIndex_idx" ON "Deviation"("teamId", "cycleIndex");

-- CreateIndex
CREATE INDEX "DebriefRound_status_digestAt_idx" ON "DebriefRound"("status", "digestAt");

-- CreateIndex
CREATE UNIQUE INDEX "DebriefRound_teamId_promptAt_key" ON "DebriefRound"("teamId", "promptAt");

-- CreateIndex
CREATE UNIQUE INDEX "DebriefAnswer_roundId_userId_key" ON "DebriefAnswer"("roundId", "userId");

-- CreateIndex
CREATE INDEX "Alarm_teamId_status_idx" ON "Alarm"("teamId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Alarm_teamId_kind_subjectKey_cycleIndex_key" ON "Alarm"("teamId", "kind", "subjectKey", "cycleIndex");

-- CreateIndex
CREATE INDEX "Incident_teamId_createdAt_idx" ON "Incident"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "TimelineEntry_incidentId_at_idx" ON "TimelineEntry"("incidentId", "at");

-- CreateIndex
CREATE INDEX "Why_incidentId_idx" ON "Why"("incidentId");

-- CreateIndex
CREATE INDEX "Factor_incidentId_idx" ON "Factor"("incidentId");

-- CreateIndex
CREATE INDEX "Finding_incidentId_idx" ON "Finding"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "ActionItem_findingId_key" ON "ActionItem"("findingId");

-- CreateIndex
CREATE INDEX "ActionItem_status_dueDate_idx" ON "ActionItem"("status", "dueDate");

-- CreateIndex
CREATE INDEX "ActionItemEvent_actionItemId_idx" ON "ActionItemEvent"("actionItemId");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_slackTeamId_name_key" ON "Tag"("slackTeamId", "name");
