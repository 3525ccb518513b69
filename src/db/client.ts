import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { busyTolerant, SQLITE_BUSY_TIMEOUT_MS } from "./sqlite-busy.js";

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

/**
 * Splits a PostgreSQL URL into what `pg` understands and the Prisma-style
 * `?schema=` parameter, which `pg` would ignore. The schema becomes the
 * session's search_path so raw SQL (migrations) lands in it too.
 */
export function postgresConnection(databaseUrl: string): {
  connectionString: string;
  schema: string | undefined;
  options: string | undefined;
} {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  if (schema === undefined) return { connectionString: url.toString(), schema, options: undefined };
  // Plain identifiers only, so the name needs no quoting in startup options or SQL.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new Error(`DATABASE_URL ?schema=${schema} must be a plain identifier (letters, digits, _)`);
  }
  return { connectionString: url.toString(), schema, options: `-c search_path=${schema}` };
}

/**
 * The Prisma client for the URL's provider. Only that provider's client and
 * driver are imported: each generated client carries its own query engine, and
 * loading both would cost an idle bot tens of megabytes for nothing.
 */
export async function createDb(databaseUrl: string): Promise<Db> {
  if (providerOf(databaseUrl) === "postgresql") {
    const [{ PrismaPg }, { PrismaClient }] = await Promise.all([
      import("@prisma/adapter-pg"),
      import("../generated/postgres/client.js"),
    ]);
    const { connectionString, schema, options } = postgresConnection(databaseUrl);
    const adapter = new PrismaPg({ connectionString, options }, schema ? { schema } : undefined);
    return new PrismaClient({ adapter }) as unknown as Db;
  }
  const [{ PrismaBetterSqlite3 }, { PrismaClient }] = await Promise.all([
    import("@prisma/adapter-better-sqlite3"),
    import("../generated/sqlite/client.js"),
  ]);
  const path = sqlitePath(databaseUrl);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  // A short lock wait in the driver (it blocks the event loop), the rest of the waiting off it.
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter: busyTolerant(adapter) });
}
