import type { Logger } from "pino";
import type { WorkspaceLookup } from "../installations/workspace-lookup-repository.js";
import { currentWorkspace, inWorkspace } from "../installations/workspace-scope.js";
import type { Notifier } from "../slack/notifier.js";

/**
 * OAuth mode: the notifier for calls made outside any workspace scope. A request or a delivery has
 * set the scope already and its calls pass straight through; a scheduled job calling Slack directly
 * (a digest reading its channel's members, an edit of a posted message, a person's time zone) has
 * none, so the call runs as the workspace of what it addresses: the channel's, or the person's.
 * When nothing stored names one, the call goes out as before (Slack answers not_authed) and a
 * warning says which call it was.
 */
export function workspaceResolvingNotifier(inner: Notifier, lookup: WorkspaceLookup, log: Logger): Notifier {
  const as = async <R>(call: string, to: { channel: string } | { user: string }, fn: () => Promise<R>) => {
    if (currentWorkspace()) return fn();
    const workspace = "channel" in to ? await lookup.ofChannel(to.channel) : await lookup.ofUser(to.user);
    if (!workspace) {
      log.warn(
        { call, ...to },
        "a Slack call outside any workspace, and none is known for what it addresses",
      );
      return fn();
    }
    return inWorkspace({ workspace }, fn);
  };
  return {
    post: (channel, msg, opts) => as("post", { channel }, () => inner.post(channel, msg, opts)),
    openDm: (user) => as("openDm", { user }, () => inner.openDm(user)),
    findPosted: (o) => as("findPosted", { channel: o.channel }, () => inner.findPosted(o)),
    update: (channel, ts, msg) => as("update", { channel }, () => inner.update(channel, ts, msg)),
    ephemeral: (channel, user, msg) =>
      as("ephemeral", { channel }, () => inner.ephemeral(channel, user, msg)),
    dm: (user, msg) => as("dm", { user }, () => inner.dm(user, msg)),
    userInfo: (user) => as("userInfo", { user }, () => inner.userInfo(user)),
    channelMembers: (channel) => as("channelMembers", { channel }, () => inner.channelMembers(channel)),
    permalink: (channel, ts) => as("permalink", { channel }, () => inner.permalink(channel, ts)),
    uploadFile: (f) => as("uploadFile", { channel: f.channel }, () => inner.uploadFile(f)),
    publishHome: (user, view) => as("publishHome", { user }, () => inner.publishHome(user, view)),
  };
}
