-- CreateTable
CREATE TABLE "GuardrailReading" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "guardrailId" TEXT NOT NULL,
    "reviewId" TEXT,
    "value" REAL NOT NULL,
    "breached" BOOLEAN NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "GuardrailReading_guardrailId_fkey" FOREIGN KEY ("guardrailId") REFERENCES "Guardrail" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "GuardrailReading_guardrailId_recordedAt_idx" ON "GuardrailReading"("guardrailId", "recordedAt");
