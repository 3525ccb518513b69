/**
 * Cuts text to at most `n` UTF-16 units (how Slack and JavaScript count length) with an ellipsis,
 * never between the two halves of a surrogate pair, so an emoji is kept whole or dropped whole.
 */
export function clipText(text: string, n: number): string {
  if (text.length <= n) return text;
  let cut = Math.max(0, n - 1);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** As clipText, but cut at a word boundary when there is one in the last fifth: never mid-word. */
export function clipWords(text: string, n: number): string {
  if (text.length <= n) return text;
  const clipped = clipText(text, n);
  const space = clipped.lastIndexOf(" ", n - 2);
  return space >= n * 0.8 ? `${clipped.slice(0, space).trimEnd()}…` : clipped;
}

/** The first character of `text` as a person sees it (a whole emoji, not half of one). */
export const firstChar = (text: string): string => Array.from(text)[0] ?? "";

/** "35%", "12 tickets", "3": a number already written out, with the unit a person typed for it. */
export const withUnit = (text: string, unit: string): string =>
  unit === "" ? text : unit === "%" ? `${text}%` : `${text} ${unit}`;
