-- AlterTable
ALTER TABLE "Finding" ADD COLUMN "notedReason" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Why" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "incidentId" TEXT NOT NULL,
    "parentId" TEXT,
    "text" TEXT NOT NULL,
    "rootCause" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Why_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Why_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Why" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Why" ("createdAt", "id", "incidentId", "parentId", "text") SELECT "createdAt", "id", "incidentId", "parentId", "text" FROM "Why";
DROP TABLE "Why";
ALTER TABLE "new_Why" RENAME TO "Why";
CREATE INDEX "Why_incidentId_idx" ON "Why"("incidentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
