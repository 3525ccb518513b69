/**
 * Generates the Prisma client for both providers from the one schema.
 *
 * Why a script: Prisma binds a generated client to one provider, and Ratchet
 * runs on SQLite by default and PostgreSQL to scale. We derive the PostgreSQL
 * schema from prisma/schema.prisma by swapping the provider and output, so the
 * models can never drift apart.
 *
 * `prisma generate` never runs the schema-engine binary, but its CLI insists
 * that one exists; offline machines cannot download it, so we point
 * PRISMA_SCHEMA_ENGINE_BINARY at a harmless existing file when none is set.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { derivePostgresSchema } from "./derive-postgres-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchema = join(root, "prisma", "schema.prisma");
const derivedDir = join(root, "prisma", ".generated");
const postgresSchema = join(derivedDir, "postgres.prisma");

function generate(schema: string): void {
  const env = { ...process.env };
  env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
  env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
  execFileSync(
    process.execPath,
    [join(root, "node_modules", "prisma", "build", "index.js"), "generate", "--schema", schema],
    {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
}

mkdirSync(derivedDir, { recursive: true });
writeFileSync(postgresSchema, derivePostgresSchema(readFileSync(sqliteSchema, "utf8")));
generate(sqliteSchema);
generate(postgresSchema);
