import type { z } from "zod";

/**
 * Turns zod issues into Slack's inline modal errors: { block_id: message }.
 * Schemas key their fields by block id, so an issue's first path segment is the block.
 */
export function toBlockErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "");
    if (key && !out[key]) out[key] = issue.message.slice(0, 150);
  }
  return out;
}
