-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "threadTs" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "startedAt" DATETIME,
    "channel" TEXT,
    "ts" TEXT,
    "error" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelProblem" (
    "channel" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT,
    "error" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "toldAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_key_key" ON "Delivery"("key");

-- CreateIndex
CREATE INDEX "Delivery_status_notBefore_idx" ON "Delivery"("status", "notBefore");

-- CreateIndex
CREATE INDEX "Delivery_target_status_idx" ON "Delivery"("target", "status");
