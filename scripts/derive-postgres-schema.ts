/**
 * The PostgreSQL schema is prisma/schema.prisma with the provider and client
 * output swapped, so both providers always share exactly the same models.
 *
 * Its own module because scripts/prisma-generate.ts runs generation on import,
 * and the migration tooling needs the derivation without that side effect.
 */
export function derivePostgresSchema(source: string): string {
  const swapped = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"');
  if (!swapped.includes('"postgresql"') || !swapped.includes("generated/postgres")) {
    throw new Error(
      "prisma/schema.prisma no longer matches the shape scripts/derive-postgres-schema.ts expects",
    );
  }
  return swapped;
}
