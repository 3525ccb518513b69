import { DomainError } from "../shared/errors.js";

/**
 * Who may do what (issue 14), pure. Team admins change settings and delete; a mechanism's owner and
 * its stop owners edit and stop it (admins may too); anyone in the channel reviews, logs continue or
 * change decisions, deviates and starts a COE. A team with no admins yet (set up before roles existed)
 * lets anyone act until one is set, so an upgrade locks nobody out.
 */

/** The admins column as stored: Slack user ids, comma separated. */
export const parseAdmins = (stored: string): string[] =>
  [...new Set(stored.split(",").map((s) => s.trim()))].filter((s) => s.length > 0);

interface TeamRoles {
  admins: readonly string[];
}

/** The people who own a mechanism: its owner and every guardrail's stop owner. */
interface MechanismRoles {
  ownerId: string | null;
  stopOwnerId: string | null;
  guardrails?: readonly { stopOwnerId: string | null }[];
}

/** True while the team has no admin: nobody is refused anything. */
const unguarded = (team: TeamRoles): boolean => team.admins.length === 0;

export const isAdmin = (team: TeamRoles, userId: string): boolean =>
  unguarded(team) || team.admins.includes(userId);

function mechanismOwners(m: MechanismRoles): { owner: string | null; stopOwners: string[] } {
  const stop = [m.stopOwnerId, ...(m.guardrails ?? []).map((g) => g.stopOwnerId)];
  return {
    owner: m.ownerId,
    stopOwners: [...new Set(stop.filter((s): s is string => !!s && s !== m.ownerId))],
  };
}

/** Edit and stop: the owner, a stop owner, or a team admin. */
export function mayActAsOwner(team: TeamRoles, m: MechanismRoles, userId: string): boolean {
  const { owner, stopOwners } = mechanismOwners(m);
  return isAdmin(team, userId) || owner === userId || stopOwners.includes(userId);
}

/** A refusal's sentence as pieces: text, and the people it names (a surface shows them as mentions). */
type RefusalPart = string | { user: string };

/**
 * A refused action that says who can do it instead. Its message spells people as `<@U…>`, as a
 * plain-text surface (a modal's inline error) shows them; `parts` keeps them apart from the text so a
 * mrkdwn surface mentions them without trusting any text.
 */
export class RoleRefusal extends DomainError {
  constructor(
    readonly parts: readonly RefusalPart[],
    field?: string,
  ) {
    super("forbidden", parts.map((p) => (typeof p === "string" ? p : `<@${p.user}>`)).join(""), field);
    this.name = "RoleRefusal";
  }
}

const people = (ids: readonly string[]): RefusalPart[] =>
  ids.flatMap((id, i) => (i === 0 ? [{ user: id }] : [", ", { user: id }]));

/** The refusal that says who can do it instead. */
function ownerRefusal(team: TeamRoles, m: MechanismRoles, verb: "edit" | "stop"): RefusalPart[] {
  const { owner, stopOwners } = mechanismOwners(m);
  const who: RefusalPart[][] = [
    ...(owner ? [["the mechanism's owner ", { user: owner }]] : []),
    ...(stopOwners.length > 0 ? [["stop owner ", ...people(stopOwners)]] : []),
  ];
  const admins: RefusalPart[] =
    team.admins.length > 0 ? ["a team admin ", ...people(team.admins)] : ["a team admin"];
  if (who.length === 0) return ["Only ", ...admins, ` can ${verb} it.`];
  return [
    "Only ",
    ...who.flatMap((w, i) => (i === 0 ? w : [" or ", ...w])),
    ` can ${verb} it; ask them or `,
    ...admins,
    ".",
  ];
}

/** Throws the owner refusal unless `userId` may edit or stop the mechanism. */
export function assertMayActAsOwner(
  team: TeamRoles,
  m: MechanismRoles,
  userId: string,
  verb: "edit" | "stop",
  field?: string,
): void {
  if (!mayActAsOwner(team, m, userId)) throw new RoleRefusal(ownerRefusal(team, m, verb), field);
}

/**
 * Throws unless `userId` is a team admin: the one rule for settings and deletions. `what` names the
 * action in the refusal ("retire a Floor entry"), so it says what was refused and whom to ask.
 */
export function assertAdmin(
  team: TeamRoles,
  userId: string,
  field?: string,
  what = "change this team's settings",
): void {
  if (!isAdmin(team, userId)) {
    throw new RoleRefusal([`Only a team admin can ${what}; ask `, ...people(team.admins), "."], field);
  }
}

/** The admins a settings save leaves: at least one must remain once a team has any. */
export function nextAdmins(before: readonly string[], chosen: readonly string[] | undefined): string[] {
  if (chosen === undefined) return [...before];
  const next = [...new Set(chosen)];
  if (next.length === 0) {
    throw new DomainError(
      "invalid_input",
      "A team needs at least one admin. Keep someone in Team admins.",
      "admins",
    );
  }
  return next;
}
