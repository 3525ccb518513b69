/**
 * Waits for `promise` at most `ms`, then settles with `fallback`. For optional lookups that sit
 * before a views.open: a trigger_id lives 3 seconds, and a slow nice-to-have must not spend them.
 */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}
