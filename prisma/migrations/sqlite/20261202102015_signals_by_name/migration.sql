-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Signal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseline" REAL NOT NULL,
    "target" REAL NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    "archivedAt" DATETIME,
    CONSTRAINT "Signal_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Signal" ("baseline", "id", "kind", "mechanismId", "name", "target", "unit") SELECT "baseline", "id", "kind", "mechanismId", "name", "target", "unit" FROM "Signal";
DROP TABLE "Signal";
ALTER TABLE "new_Signal" RENAME TO "Signal";
-- A name is unique in its mechanism now (rules name signals). Before, only the kind was: where two
-- signals of one mechanism share a name (case aside), the later role gets its role added to the name, e.g.
-- "activation (outcome)": the proxy keeps its name, then the outcome.
UPDATE "Signal" SET "name" = "name" || ' (' || "kind" || ')'
WHERE EXISTS (
    SELECT 1 FROM "Signal" AS "other"
    WHERE "other"."mechanismId" = "Signal"."mechanismId"
      AND lower("other"."name") = lower("Signal"."name")
      AND "other"."id" <> "Signal"."id"
      AND (CASE "other"."kind" WHEN 'proxy' THEN 0 WHEN 'outcome' THEN 1 ELSE 2 END)
        < (CASE "Signal"."kind" WHEN 'proxy' THEN 0 WHEN 'outcome' THEN 1 ELSE 2 END)
);
CREATE UNIQUE INDEX "Signal_mechanismId_name_key" ON "Signal"("mechanismId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
