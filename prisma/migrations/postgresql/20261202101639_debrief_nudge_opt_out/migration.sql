-- CreateTable
CREATE TABLE "DebriefNudgeOptOut" (
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DebriefNudgeOptOut_pkey" PRIMARY KEY ("teamId","userId")
);

-- AddForeignKey
ALTER TABLE "DebriefNudgeOptOut" ADD CONSTRAINT "DebriefNudgeOptOut_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
