import type { Logger } from "pino";

/**
 * The last step of every exactly-once post: send it, then record it. Only a failed send
 * releases the claim for a retry — once Slack has the message, a failure to record that is
 * logged and the claim stays taken, because retrying would post the message twice.
 */
export async function postOnce<T>(o: {
  /** builds and sends the message; throwing here means nothing was posted */
  send: () => Promise<T>;
  /** records the post (message ts, status done) */
  record: (sent: T) => Promise<void>;
  /** gives the claim back for a later tick */
  release: () => Promise<void>;
  log: Logger;
  what: string;
  context: Record<string, unknown>;
}): Promise<boolean> {
  let sent: T;
  try {
    sent = await o.send();
  } catch (err) {
    o.log.error({ err, ...o.context }, `${o.what} not posted; will retry`);
    await o
      .release()
      .catch((e: unknown) => o.log.error({ err: e, ...o.context }, `${o.what}: could not release the claim`));
    return false;
  }
  try {
    await o.record(sent);
  } catch (err) {
    o.log.error(
      { err, ...o.context },
      `${o.what} posted but not recorded; not retried, so it cannot post twice`,
    );
  }
  return true;
}
