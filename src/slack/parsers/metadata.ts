/**
 * Reads a view's private_metadata. It is ours (set by a builder), but a listener must never throw
 * before it acks, so anything unreadable becomes {} and the caller's own checks say what is missing.
 */
export function readMeta<T extends object>(privateMetadata: string | undefined): Partial<T> {
  try {
    const value: unknown = JSON.parse(privateMetadata || "{}");
    return typeof value === "object" && value !== null ? (value as Partial<T>) : {};
  } catch {
    return {};
  }
}
