/**
 * A number as a person reads it in a review line or an alarm: at most two decimals, or two
 * significant digits below 1, so float dust never shows ("0.19999999999999998" is "0.2") and a small
 * reading keeps its size (an error rate of 0.004 is "0.004", not "0"). Rounds the magnitude, so -2.345
 * and 2.345 differ only in sign; `minus` is the sign to write ("-" as people type it, or "−").
 */
export function formatNumber(x: number, minus = "-"): string {
  const abs = Math.abs(x);
  if (abs < 1e-6) return "0";
  const rounded = abs < 1 ? Number(abs.toPrecision(2)) : Math.round(abs * 100) / 100;
  return `${x < 0 ? minus : ""}${rounded}`;
}
