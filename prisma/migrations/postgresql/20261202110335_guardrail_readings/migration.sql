-- CreateTable
CREATE TABLE "GuardrailReading" (
    "id" TEXT NOT NULL,
    "guardrailId" TEXT NOT NULL,
    "reviewId" TEXT,
    "value" DOUBLE PRECISION NOT NULL,
    "breached" BOOLEAN NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GuardrailReading_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GuardrailReading_guardrailId_recordedAt_idx" ON "GuardrailReading"("guardrailId", "recordedAt");

-- AddForeignKey
ALTER TABLE "GuardrailReading" ADD CONSTRAINT "GuardrailReading_guardrailId_fkey" FOREIGN KEY ("guardrailId") REFERENCES "Guardrail"("id") ON DELETE CASCADE ON UPDATE CASCADE;
