-- CreateTable
CREATE TABLE "QuarterlySchedule" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "localDate" TEXT NOT NULL,
    "localTime" TEXT NOT NULL,
    "opensAt" TIMESTAMP(3),
    "quarter" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuarterlySchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuarterlyReview" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "quarter" TEXT NOT NULL,
    "achieved" TEXT NOT NULL DEFAULT '',
    "learned" TEXT NOT NULL DEFAULT '',
    "wentWell" TEXT NOT NULL DEFAULT '',
    "continueItems" TEXT NOT NULL DEFAULT '',
    "newItems" TEXT NOT NULL DEFAULT '',
    "stopItems" TEXT NOT NULL DEFAULT '',
    "stoppedCheck" TEXT NOT NULL DEFAULT '',
    "behaviourChanged" TEXT NOT NULL DEFAULT '',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuarterlyReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "QuarterlySchedule_teamId_key" ON "QuarterlySchedule"("teamId");

-- CreateIndex
CREATE INDEX "QuarterlySchedule_opensAt_idx" ON "QuarterlySchedule"("opensAt");

-- CreateIndex
CREATE UNIQUE INDEX "QuarterlyReview_teamId_quarter_key" ON "QuarterlyReview"("teamId", "quarter");

-- AddForeignKey
ALTER TABLE "QuarterlySchedule" ADD CONSTRAINT "QuarterlySchedule_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuarterlyReview" ADD CONSTRAINT "QuarterlyReview_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
