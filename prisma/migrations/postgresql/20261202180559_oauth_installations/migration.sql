-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL,
    "enterpriseId" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "keyId" TEXT,
    "secret" TEXT,
    "expiresAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "refreshingUntil" TIMESTAMP(3),
    "installedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "uninstalledAt" TIMESTAMP(3),

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstallationWorkspace" (
    "slackTeamId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,

    CONSTRAINT "InstallationWorkspace_pkey" PRIMARY KEY ("slackTeamId")
);

-- CreateIndex
CREATE INDEX "Installation_uninstalledAt_idx" ON "Installation"("uninstalledAt");

-- CreateIndex
CREATE INDEX "Installation_keyId_idx" ON "Installation"("keyId");

-- CreateIndex
CREATE INDEX "InstallationWorkspace_installationId_idx" ON "InstallationWorkspace"("installationId");
