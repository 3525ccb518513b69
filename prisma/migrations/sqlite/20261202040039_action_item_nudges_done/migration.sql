-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ActionItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "findingId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ticketUrl" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "reason" TEXT NOT NULL DEFAULT '',
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "nudgesDone" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "ActionItem_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ActionItem" ("closedAt", "createdAt", "dueDate", "findingId", "id", "kind", "ownerId", "reason", "status", "ticketUrl") SELECT "closedAt", "createdAt", "dueDate", "findingId", "id", "kind", "ownerId", "reason", "status", "ticketUrl" FROM "ActionItem";
DROP TABLE "ActionItem";
ALTER TABLE "new_ActionItem" RENAME TO "ActionItem";
CREATE UNIQUE INDEX "ActionItem_findingId_key" ON "ActionItem"("findingId");
CREATE INDEX "ActionItem_status_dueDate_idx" ON "ActionItem"("status", "dueDate");
CREATE INDEX "ActionItem_status_nudgesDone_dueDate_idx" ON "ActionItem"("status", "nudgesDone", "dueDate");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
