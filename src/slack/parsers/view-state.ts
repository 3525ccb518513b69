/**
 * Reads Slack's view.state.values. Every input's action_id equals its block_id
 * (see blocks/kit.ts), so a value is addressed by block id alone.
 */
export interface StateElement {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_channel?: string | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_date_time?: number | null;
}
export type StateValues = Record<string, Record<string, StateElement>>;

function element(values: StateValues, blockId: string): StateElement | undefined {
  const block = values[blockId];
  if (!block) return undefined;
  return block[blockId] ?? Object.values(block)[0];
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
