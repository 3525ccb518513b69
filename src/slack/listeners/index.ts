import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import * as actions from "./actions/index.js";
import * as ratchet from "./commands/ratchet.js";
import * as appHomeOpened from "./events/app-home-opened.js";
import * as appUninstalled from "./events/app-uninstalled.js";
import * as memberJoined from "./events/member-joined.js";
import * as incidentFromMessage from "./shortcuts/incident-from-message.js";
import * as views from "./views/index.js";

/**
 * Registers every listener, by surface. Each is written with the kit (./kit/): it owns ack timing,
 * error mapping, reading view state and what runs after the ack, so a listener is only its own work.
 */
export function registerListeners(app: App, deps: SlackDeps): void {
  for (const surface of [
    ratchet,
    views,
    actions,
    incidentFromMessage,
    memberJoined,
    appHomeOpened,
    appUninstalled,
  ])
    surface.register(app, deps);
}
