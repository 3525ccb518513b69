import { z } from "zod";

const messageRef = z.object({ channel: z.string(), ts: z.string() });
const id = z.string();

/**
 * Every key a builder writes into private_metadata, with its type. The metadata is ours, but it comes
 * back in the request body, and a value of the wrong type (an id that is a number, a reference that
 * is a string) would reach the services and the database as one. One table for all modals, so the
 * listeners keep calling readMeta<T>() as they do.
 */
const KNOWN: Record<string, z.ZodType> = {
  teamId: id,
  channelId: id,
  mechanismId: id.nullable(),
  reviewId: id.nullable(),
  roundId: id,
  deviationId: id,
  incidentId: id.nullable(),
  actionItemId: id,
  sourceLink: z.string().nullable(),
  dm: messageRef.nullable(),
  prompt: messageRef,
  /** the mechanism modal's signal slots per role */
  slots: z.object({
    proxy: z.number().int().min(1).max(9).optional(),
    outcome: z.number().int().min(1).max(9).optional(),
    leading: z.number().int().min(1).max(9).optional(),
    guardrail: z.number().int().min(1).max(9).optional(),
  }),
};

/**
 * Reads a view's private_metadata. A listener must never throw before it acks, so anything
 * unreadable becomes {} and a value of the wrong type is left out: the caller's own checks then say
 * what is missing. Keys no builder writes are kept only as text.
 */
export function readMeta<T extends object>(privateMetadata: string | undefined): Partial<T> {
  let value: unknown;
  try {
    value = JSON.parse(privateMetadata || "{}");
  } catch {
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const meta: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const schema = Object.hasOwn(KNOWN, key) ? KNOWN[key] : undefined;
    const ok = schema ? schema.safeParse(v).success : typeof v === "string";
    if (ok) meta[key] = v;
  }
  return meta as Partial<T>;
}
