-- DropIndex
DROP INDEX "Signal_mechanismId_kind_key";

-- AlterTable
ALTER TABLE "Signal" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "position" INTEGER NOT NULL DEFAULT 0;

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
-- CreateIndex
CREATE UNIQUE INDEX "Signal_mechanismId_name_key" ON "Signal"("mechanismId", "name");
