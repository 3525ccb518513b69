import { z } from "zod";

// Reads Slack's view.state.values. Every input's action_id equals its block_id
// (see blocks/kit.ts), so a value is addressed by block id alone.

const option = z.looseObject({ value: z.string() });

/**
 * One input's state as Slack sends it. The envelope check only knows it is an object; these are the
 * fields the parsers read, typed, so a value Slack would never send (a number, an object, a list
 * where one value belongs) reads as no answer and the form's own rules say what is missing.
 */
const stateElement = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).optional(),
  selected_user: z.string().nullish(),
  selected_users: z.array(z.string()).optional(),
  selected_conversation: z.string().nullish(),
  selected_channel: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  selected_date_time: z.number().nullish(),
});
type StateElement = z.infer<typeof stateElement>;
/**
 * A view's state.values as Slack sent it, not yet trusted: each read below checks the one input it
 * names. So loose a type that Bolt's `view.state.values` (or a test's plain object) is one as it is,
 * with no cast: the checking happens here, once, not in a listener's `as`.
 */
export type StateValues = Readonly<Record<string, unknown>>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function element(values: StateValues, blockId: string): StateElement | undefined {
  const block: unknown = isRecord(values) && Object.hasOwn(values, blockId) ? values[blockId] : undefined;
  if (!isRecord(block)) return undefined;
  const found = stateElement.safeParse(
    Object.hasOwn(block, blockId) ? block[blockId] : Object.values(block)[0],
  );
  return found.success ? found.data : undefined;
}

/** The element's single value as a string (text, option, user, channel, date or time); null when empty. */
export function readValue(values: StateValues, blockId: string): string | null {
  const e = element(values, blockId);
  if (!e) return null;
  const v =
    e.value ??
    e.selected_option?.value ??
    e.selected_user ??
    e.selected_conversation ??
    e.selected_channel ??
    e.selected_date ??
    e.selected_time ??
    (e.selected_date_time != null ? String(e.selected_date_time) : null);
  if (v === undefined || v === null) return null;
  const trimmed = String(v).trim();
  return trimmed === "" ? null : trimmed;
}

export function readValues(values: StateValues, blockId: string): string[] {
  const e = element(values, blockId);
  if (!e) return [];
  return e.selected_options?.map((o) => o.value) ?? e.selected_users ?? [];
}

/** Reads every listed block into a plain record, for zod to validate. */
export function readAll<K extends string>(
  values: StateValues,
  blockIds: readonly K[],
): Record<K, string | null> {
  return Object.fromEntries(blockIds.map((id) => [id, readValue(values, id)])) as Record<K, string | null>;
}
