// Only `prisma dev` (Prisma's local Postgres server) loads this package. Ratchet never runs it: it uses
// SQLite or a real PostgreSQL. The real package requires Node 22, and Ratchet runs on Node 20.
throw new Error("@prisma/streams-local is stubbed in Ratchet: `prisma dev` is not supported here.");
