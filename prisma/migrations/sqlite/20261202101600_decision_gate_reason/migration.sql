-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Decision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "reviewId" TEXT,
    "decision" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "whatChanged" TEXT NOT NULL DEFAULT '',
    "whatDidnt" TEXT NOT NULL DEFAULT '',
    "why" TEXT NOT NULL DEFAULT '',
    "changeDetail" TEXT NOT NULL DEFAULT '',
    "checkpoint" TEXT NOT NULL DEFAULT 'unknown',
    "gateReason" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "decidedBy" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL,
    CONSTRAINT "Decision_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Decision_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Decision" ("changeDetail", "checkpoint", "decidedAt", "decidedBy", "decision", "entry", "id", "mechanismId", "reviewId", "source", "whatChanged", "whatDidnt", "why") SELECT "changeDetail", "checkpoint", "decidedAt", "decidedBy", "decision", "entry", "id", "mechanismId", "reviewId", "source", "whatChanged", "whatDidnt", "why" FROM "Decision";
DROP TABLE "Decision";
ALTER TABLE "new_Decision" RENAME TO "Decision";
CREATE INDEX "Decision_mechanismId_decidedAt_idx" ON "Decision"("mechanismId", "decidedAt");
CREATE INDEX "Decision_reviewId_idx" ON "Decision"("reviewId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
