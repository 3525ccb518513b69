-- CreateTable
CREATE TABLE "WbrSchedule" (
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "time" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WbrSchedule_pkey" PRIMARY KEY ("slackTeamId")
);

-- CreateTable
CREATE TABLE "WbrMetric" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "direction" TEXT NOT NULL,
    "target" DOUBLE PRECISION NOT NULL,
    "signalId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WbrMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WbrReading" (
    "id" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WbrReading_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WbrSchedule_dueAt_idx" ON "WbrSchedule"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "WbrMetric_teamId_name_key" ON "WbrMetric"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "WbrReading_metricId_week_key" ON "WbrReading"("metricId", "week");

-- AddForeignKey
ALTER TABLE "WbrReading" ADD CONSTRAINT "WbrReading_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "WbrMetric"("id") ON DELETE CASCADE ON UPDATE CASCADE;
