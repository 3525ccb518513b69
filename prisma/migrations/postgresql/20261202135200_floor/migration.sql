-- CreateTable
CREATE TABLE "FloorDefault" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FloorDefault_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FloorRetirement" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "retiredBy" TEXT NOT NULL,
    "retiredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FloorRetirement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FloorDefault_teamId_createdAt_idx" ON "FloorDefault"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FloorRetirement_teamId_ref_key" ON "FloorRetirement"("teamId", "ref");

-- AddForeignKey
ALTER TABLE "FloorDefault" ADD CONSTRAINT "FloorDefault_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FloorRetirement" ADD CONSTRAINT "FloorRetirement_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
