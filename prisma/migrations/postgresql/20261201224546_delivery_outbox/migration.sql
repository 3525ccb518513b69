-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "threadTs" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "channel" TEXT,
    "ts" TEXT,
    "error" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelProblem" (
    "channel" TEXT NOT NULL,
    "teamId" TEXT,
    "error" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "toldAt" TIMESTAMP(3),

    CONSTRAINT "ChannelProblem_pkey" PRIMARY KEY ("channel")
);

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_key_key" ON "Delivery"("key");

-- CreateIndex
CREATE INDEX "Delivery_status_notBefore_idx" ON "Delivery"("status", "notBefore");

-- CreateIndex
CREATE INDEX "Delivery_target_status_idx" ON "Delivery"("target", "status");
