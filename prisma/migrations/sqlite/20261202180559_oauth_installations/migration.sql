-- CreateTable
CREATE TABLE "Installation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "enterpriseId" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "keyId" TEXT,
    "secret" TEXT,
    "expiresAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "refreshingUntil" DATETIME,
    "installedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "uninstalledAt" DATETIME
);

-- CreateTable
CREATE TABLE "InstallationWorkspace" (
    "slackTeamId" TEXT NOT NULL PRIMARY KEY,
    "installationId" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Installation_uninstalledAt_idx" ON "Installation"("uninstalledAt");

-- CreateIndex
CREATE INDEX "Installation_keyId_idx" ON "Installation"("keyId");

-- CreateIndex
CREATE INDEX "InstallationWorkspace_installationId_idx" ON "InstallationWorkspace"("installationId");
