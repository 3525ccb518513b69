/**
 * `promise`, or a rejection once `ms` have passed: probes and scrapes must answer even while the
 * database or Slack hangs (the late promise is left to settle on its own).
 */
export function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
