import { z } from "zod";
import { DomainError } from "../../shared/errors.js";
import type { AuditPageRef } from "../blocks/audit.js";

const ref = z.object({
  t: z.enum(["mechanism", "incident"]),
  id: z.string().min(1).max(64),
  p: z.number().int().min(0).max(10_000).default(0),
});

/** A History button's value, checked: a value that isn't one says so instead of throwing. */
export function auditPageRef(value: string): AuditPageRef {
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    raw = null;
  }
  const parsed = ref.safeParse(raw);
  if (!parsed.success) throw new DomainError("invalid_input", "That history link is no longer valid.");
  return parsed.data;
}
