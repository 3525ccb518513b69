-- CreateTable
CREATE TABLE "HomeView" (
    "slackTeamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "teamId" TEXT,
    "hash" TEXT NOT NULL,
    "paging" TEXT NOT NULL DEFAULT '{}',
    "lastPublishedAt" DATETIME NOT NULL,
    "staleAt" DATETIME,

    PRIMARY KEY ("slackTeamId", "userId")
);

-- CreateIndex
CREATE INDEX "HomeView_staleAt_idx" ON "HomeView"("staleAt");

-- CreateIndex
CREATE INDEX "HomeView_teamId_idx" ON "HomeView"("teamId");
