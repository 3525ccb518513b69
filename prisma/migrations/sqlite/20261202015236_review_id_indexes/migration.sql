-- CreateIndex
CREATE INDEX "Decision_reviewId_idx" ON "Decision"("reviewId");

-- CreateIndex
CREATE INDEX "Reading_reviewId_idx" ON "Reading"("reviewId");
