/** Prisma's unique-constraint violation: someone else inserted the same key first. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2002";

/** Prisma's "record to update not found" (a conditional update whose condition failed). */
export const isRecordNotFound = (e: unknown): boolean =>
  typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2025";
