import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Whose token a Slack call made now should carry, in OAuth mode: a request's (Bolt's authorize has
 * already found its bot token) or a delivery's (its team's workspace; the token is looked up when
 * the call is made). Carried like the request's log fields, so services and the notifier pass no
 * workspace along; in single-token mode nothing sets it and every call uses the one token.
 */
export interface WorkspaceScope {
  workspace?: string;
  token?: string;
}

const storage = new AsyncLocalStorage<WorkspaceScope>();

/** Runs `fn` (and everything it starts) with `scope` as the workspace its Slack calls speak for. */
export function inWorkspace<T>(scope: WorkspaceScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentWorkspace(): WorkspaceScope | undefined {
  return storage.getStore();
}
