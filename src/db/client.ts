import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../generated/postgres/client.js";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";

/**
 * Repositories are typed against the SQLite client. Both clients come from the
 * same models (scripts/prisma-generate.ts), so the PostgreSQL one has the same
 * shape and is used through this type.
 */
export type Db = SqliteClient;
export type Provider = "sqlite" | "postgresql";

export function providerOf(databaseUrl: string): Provider {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgresql" : "sqlite";
}

/** Path of a SQLite `file:` URL, resolved against the working directory. */
export function sqlitePath(databaseUrl: string): string {
  const path = databaseUrl.replace(/^file:/, "").replace(/\?.*$/, "");
  return path === ":memory:" ? path : resolve(path);
}

export function createDb(databaseUrl: string): Db {
  if (providerOf(databaseUrl) === "postgresql") {
    const adapter = new PrismaPg({ connectionString: databaseUrl });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  const path = sqlitePath(databaseUrl);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: path });
  return new SqliteClient({ adapter });
}
