-- CreateIndex
CREATE INDEX "ActionItem_ownerId_status_idx" ON "ActionItem"("ownerId", "status");

-- CreateIndex
CREATE INDEX "GuardrailReading_breached_decision_idx" ON "GuardrailReading"("breached", "decision");

-- CreateIndex
CREATE INDEX "Mechanism_ownerId_status_idx" ON "Mechanism"("ownerId", "status");
