-- CreateTable
CREATE TABLE "FloorDefault" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "FloorDefault_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FloorRetirement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "retiredBy" TEXT NOT NULL,
    "retiredAt" DATETIME NOT NULL,
    CONSTRAINT "FloorRetirement_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FloorDefault_teamId_createdAt_idx" ON "FloorDefault"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FloorRetirement_teamId_ref_key" ON "FloorRetirement"("teamId", "ref");
