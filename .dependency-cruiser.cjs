// The layer rules of DEVELOPERS.md ("The straight line"), checked by `npm run lint` and CI.
// Domain folders hold types, pure rules, services and their repositories; src/slack/ is the only
// code that knows Bolt and Block Kit; only repositories (and src/db/) import Prisma.
const DOMAIN =
  "^src/(audit|teams|mechanisms|reviews|debriefs|deviations|alarms|rollups|incidents|action-items|hat-cases|floor|learning|quarters|wbr|home|people|installations|scheduler|shared)/|^src/notices[.]ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import loops make modules impossible to read or test alone; lift the shared part out.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "domain-not-to-slack",
      severity: "error",
      comment:
        "The domain speaks in notices and domain errors; src/slack/ renders them. A second surface (Home tab, export) must not need service changes.",
      from: { path: DOMAIN },
      to: { path: "^src/(slack|ops)/|^src/(compose|main)[.]ts$" },
    },
    {
      name: "domain-not-to-bolt",
      severity: "error",
      comment: "Only src/slack/ (and the composition root) know Bolt and the Web API client.",
      from: { path: DOMAIN },
      to: { path: "@slack/" },
    },
    {
      name: "only-repositories-import-prisma",
      severity: "error",
      comment: "Prisma stays behind repositories, so services run over in-memory fakes.",
      from: {
        path: "^src/",
        pathNot:
          "-repository[.]ts$|^src/db/|^src/generated/|^src/(compose|main)[.]ts$|^src/ops/|^src/wiring/|^src/sandbox/sandbox-app[.]ts$",
      },
      to: { path: "^src/generated/|@prisma/|^src/db/client[.]ts$" },
    },
    {
      name: "domain-not-to-db-internals",
      severity: "error",
      comment: "Services take repositories and ports; the database's own modules are wiring.",
      from: { path: DOMAIN, pathNot: "-repository[.]ts$" },
      to: { path: "^src/db/" },
    },
    {
      name: "listeners-not-to-repositories",
      severity: "error",
      comment: "Listeners call services; a listener reading a repository skips the rules services keep.",
      from: { path: "^src/slack/" },
      to: { path: "-repository[.]ts$|^src/db/" },
    },
    {
      name: "nothing-imports-the-root",
      severity: "error",
      comment:
        "compose.ts, src/wiring/ and main.ts wire everything; importing them from below runs the layers backwards.",
      // src/sandbox/sandbox-app.ts is `npm run sandbox`'s composition root, as main.ts is the app's.
      from: { path: "^src/", pathNot: "^src/main[.]ts$|^src/compose[.]ts$|^src/wiring/|^src/sandbox/sandbox-app[.]ts$" },
      to: { path: "^src/(compose|main)[.]ts$|^src/wiring/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
