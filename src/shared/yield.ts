/**
 * Lets the event loop serve what is waiting (Slack's requests, whose acks have 3 s) before going on.
 * An await that resolves in a microtask would continue in the same turn; setImmediate runs after the
 * loop's I/O phase, so requests that arrived meanwhile go first. Long sweeps call it between items.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
