-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "late" BOOLEAN NOT NULL DEFAULT false,
    "messageChannelId" TEXT,
    "messageTs" TEXT,
    "createdAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "Review_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Review" ("completedAt", "createdAt", "dueAt", "id", "late", "mechanismId", "messageChannelId", "messageTs", "status") SELECT "completedAt", "createdAt", "dueAt", "id", "late", "mechanismId", "messageChannelId", "messageTs", "status" FROM "Review";
DROP TABLE "Review";
ALTER TABLE "new_Review" RENAME TO "Review";
CREATE INDEX "Review_status_dueAt_idx" ON "Review"("status", "dueAt");
CREATE UNIQUE INDEX "Review_mechanismId_dueAt_key" ON "Review"("mechanismId", "dueAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
