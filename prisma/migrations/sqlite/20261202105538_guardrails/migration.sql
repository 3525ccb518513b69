-- CreateTable
CREATE TABLE "Guardrail" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mechanismId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "comparison" TEXT NOT NULL DEFAULT '',
    "threshold" REAL,
    "unit" TEXT NOT NULL DEFAULT '',
    "stopOwnerId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "archivedAt" DATETIME,
    CONSTRAINT "Guardrail_mechanismId_fkey" FOREIGN KEY ("mechanismId") REFERENCES "Mechanism" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Guardrail_mechanismId_idx" ON "Guardrail"("mechanismId");

-- Each mechanism's guardrail text becomes its first guardrail with no threshold (the one-pager flags
-- it: add one) and the mechanism's stop owner. Mechanism.guardrail and stopOwnerId stay until the app
-- no longer reads them.
INSERT INTO "Guardrail" ("id", "mechanismId", "name", "comparison", "threshold", "unit", "stopOwnerId", "position")
SELECT 'grd_' || "id", "id", "guardrail", '', NULL, '', "stopOwnerId", 0
FROM "Mechanism"
WHERE trim("guardrail") <> '';
