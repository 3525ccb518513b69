/**
 * Writes the next migration for both providers: `npm run db:new-migration -- <name>`.
 *
 * The offline stand-in for `prisma migrate dev --create-only`: for SQLite
 * (prisma/schema.prisma) and PostgreSQL (the derived schema) it replays the
 * committed migrations, diffs them against the schema and, when anything
 * changed, writes prisma/migrations/<provider>/<YYYYMMDDHHMMSS>_<name>/migration.sql
 * plus migration_lock.toml, the folder layout Prisma uses.
 *
 * PostgreSQL needs a server to replay on (a throwaway schema, dropped after):
 * SHADOW_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Provider } from "../src/db/client.js";
import { packageRoot } from "../src/db/migrate.js";
import { derivePostgresSchema } from "./derive-postgres-schema.js";
import { diffSql, isEmptySql, migrationLockToml, type SchemaFile } from "./schema-engine.js";

const root = packageRoot();
const providers: Provider[] = ["sqlite", "postgresql"];

function schemaFiles(provider: Provider): SchemaFile[] {
  const source = readFileSync(join(root, "prisma", "schema.prisma"), "utf8");
  return provider === "sqlite"
    ? [{ path: "prisma/schema.prisma", content: source }]
    : [{ path: "prisma/.generated/postgres.prisma", content: derivePostgresSchema(source) }];
}

/** UTC YYYYMMDDHHMMSS, the prefix Prisma gives migration folders. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function main(): Promise<void> {
  const rawName = process.argv[2];
  if (!rawName) {
    console.error("Usage: npm run db:new-migration -- <name>   (e.g. add_alarm_snooze)");
    process.exit(2);
  }
  const name = rawName.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  const shadowDatabaseUrl =
    process.env.SHADOW_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

  // Diff both first, so an unreachable PostgreSQL does not leave a SQLite-only migration behind.
  const scripts = new Map<Provider, string>();
  for (const provider of providers) {
    const migrationsDir = join(root, "prisma", "migrations", provider);
    const started = performance.now();
    const sql = await diffSql({
      provider,
      from: { migrationsDir },
      schemaFiles: schemaFiles(provider),
      shadowDatabaseUrl,
    });
    console.log(`${provider}: diffed in ${Math.round(performance.now() - started)} ms`);
    scripts.set(provider, sql);
  }

  const folder = `${timestamp(new Date())}_${name}`;
  for (const [provider, sql] of scripts) {
    if (isEmptySql(sql)) {
      console.log(`${provider}: schema matches the migrations; nothing to write`);
      continue;
    }
    const migrationsDir = join(root, "prisma", "migrations", provider);
    const dir = join(migrationsDir, folder);
    if (existsSync(dir)) throw new Error(`${dir} already exists`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sql);
    writeFileSync(join(migrationsDir, "migration_lock.toml"), migrationLockToml(provider));
    console.log(`${provider}: wrote ${relative(root, join(dir, "migration.sql"))}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
