import type { AccessVerdict } from "../../teams/access.js";
import { channelLink, type Mrkdwn, md } from "./mrkdwn.js";

type Refusal = Exclude<AccessVerdict, { ok: true }>;

/**
 * What a person is told when a request names something they may not reach. Another workspace's
 * object is "not here": saying whose it is, or what it is, would leak it.
 */
export function accessRefusal(r: Refusal): Mrkdwn {
  switch (r.why) {
    case "workspace":
      return md`That isn't in this workspace, so Ratchet can't show or change it from here. Nothing was changed.`;
    case "channel":
      return md`That belongs to the team in ${channelLink(r.channelId)}, and you aren't in that channel. Join it to see or change the team's things. Nothing was changed.`;
    case "unchecked":
      return md`Ratchet couldn't check that you're in ${channelLink(r.channelId)} just now, so it changed nothing. Try again in a minute.`;
  }
}

/** The same in plain text, for a modal's inline error (which shows no mrkdwn, so no channel link). */
export function accessRefusalPlain(r: Refusal): string {
  switch (r.why) {
    case "workspace":
      return "That isn't in this workspace, so Ratchet can't show or change it from here. Nothing was changed.";
    case "channel":
      return "That belongs to a team whose channel you aren't in. Join its channel to see or change it. Nothing was changed.";
    case "unchecked":
      return "Ratchet couldn't check that you're in the team's channel just now, so it changed nothing. Try again in a minute.";
  }
}
