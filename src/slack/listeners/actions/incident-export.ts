import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** "Export" on the incident message: the COE as Markdown, posted by the service. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, INCIDENT_ACTION.export, (click) => deps.incidents.exportMarkdown(click.value));
}
