/**
 * The workspace an interaction came from: `team.id`, or for an org-wide install (where Slack may send
 * no `team`) the clicking person's own workspace; "" when neither is there.
 */
export function workspaceOf(body: { team?: { id?: string } | null; user?: { team_id?: string } }): string {
  return body.team?.id ?? body.user?.team_id ?? "";
}
