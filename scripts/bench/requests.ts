// The request bodies of `npm run bench`, as plain data the load worker (a separate process) can build from:
// a scenario's fixed part comes once, and only what Slack issues per request (a trigger id, a response_url),
// issued by the fake Slack in the bench's own process, comes per request.
import type { SlackRequest } from "./load.js";

type Json = Record<string, unknown>;

/** Who sends: the fake's workspace and app, the channel and the user. */
export interface Sender {
  teamId: string;
  teamDomain: string;
  appId: string;
  channelId: string;
  channelName: string;
  userId: string;
  userName: string;
}

/** What a scenario sends, apart from what is fresh per request. */
export type RequestSpec =
  | { kind: "command"; sender: Sender; text: string }
  | {
      kind: "view_submission";
      sender: Sender;
      /** the modal as Slack stores it; each request submits it for its own review */
      view: Json;
      values: unknown;
      mechanismId: string;
      /** request i submits reviewIds[i] (each review can be decided once) */
      reviewIds: string[];
    };

/**
 * What Slack issues for one request: its trigger id; a response_url for a slash command; for a view
 * submission the view's own id and hash (in Slack each review's modal is its own views.open, and Ratchet
 * handles one view id + hash once: the same ones again are a double-click, acked and skipped).
 */
export interface Fresh {
  triggerId: string;
  responseUrl?: string;
  view?: { id: string; hash: string };
}

const form = (fields: Record<string, string>): SlackRequest => ({
  body: new URLSearchParams(fields).toString(),
  contentType: "application/x-www-form-urlencoded",
});

/** Request `i` of a scenario: the same body SlackSender would send, with `fresh`'s ids. */
export function buildRequest(spec: RequestSpec, i: number, fresh: Fresh): SlackRequest {
  const s = spec.sender;
  if (spec.kind === "command") {
    return form({
      token: "fake-verification-token",
      team_id: s.teamId,
      team_domain: s.teamDomain,
      channel_id: s.channelId,
      channel_name: s.channelName,
      user_id: s.userId,
      user_name: s.userName,
      command: "/ratchet",
      text: spec.text,
      api_app_id: s.appId,
      is_enterprise_install: "false",
      response_url: fresh.responseUrl ?? "",
      trigger_id: fresh.triggerId,
    });
  }
  const payload: Json = {
    type: "view_submission",
    team: { id: s.teamId, domain: s.teamDomain },
    user: { id: s.userId, username: s.userName, name: s.userName, team_id: s.teamId },
    api_app_id: s.appId,
    token: "fake-verification-token",
    trigger_id: fresh.triggerId,
    view: {
      ...spec.view,
      ...(fresh.view ? { id: fresh.view.id, hash: fresh.view.hash, root_view_id: fresh.view.id } : {}),
      private_metadata: JSON.stringify({
        mechanismId: spec.mechanismId,
        reviewId: spec.reviewIds[i] ?? "missing-review",
      }),
      state: { values: spec.values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return form({ payload: JSON.stringify(payload) });
}
