-- CreateTable
CREATE TABLE "WbrSchedule" (
    "slackTeamId" TEXT NOT NULL PRIMARY KEY,
    "channelId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "time" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "dueAt" DATETIME,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WbrMetric" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "direction" TEXT NOT NULL,
    "target" REAL NOT NULL,
    "signalId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WbrReading" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "metricId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "WbrReading_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "WbrMetric" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "WbrSchedule_dueAt_idx" ON "WbrSchedule"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "WbrMetric_teamId_name_key" ON "WbrMetric"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "WbrReading_metricId_week_key" ON "WbrReading"("metricId", "week");
