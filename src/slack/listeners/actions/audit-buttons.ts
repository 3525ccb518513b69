import type { App } from "@slack/bolt";
import { buildAuditModal } from "../../blocks/audit.js";
import type { SlackDeps } from "../../deps.js";
import { AUDIT_ACTION } from "../../ids.js";
import { auditPageRef } from "../../parsers/audit-page.js";
import { onButton } from "../kit/button.js";
import { onModalButton } from "../kit/modal-button.js";

/** One page of a subject's History, read where the click came from: another workspace's id shows nothing. */
async function historyView(deps: SlackDeps, value: string, slackTeamId: string) {
  const ref = auditPageRef(value);
  const { title, team } =
    ref.t === "incident"
      ? await deps.incidents
          .getRecord(ref.id)
          .then(async (i) => ({ title: i.title, team: await deps.teams.get(i.teamId) }))
      : await deps.mechanisms.getWithTeam(ref.id).then((m) => ({ title: m.mechanism.title, team: m.team }));
  const ours = team?.slackTeamId === slackTeamId ? team : null;
  const page = ours
    ? await deps.audit.history({ slackTeamId, type: ref.t, id: ref.id }, ref.p)
    : { entries: [], more: false };
  return buildAuditModal({ ref, title: ours ? title : "—", timezone: ours?.timezone ?? "UTC", ...page });
}

/** "History" on a one-pager or incident opens the subject's audit log; Older / Newer page it in place. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, AUDIT_ACTION.history, async (click) => {
    await click.openModal(await historyView(deps, click.value, click.slackTeamId));
  });
  onModalButton(app, deps, AUDIT_ACTION.page, (click) => historyView(deps, click.value, click.slackTeamId));
}
