import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { localLabel } from "../../../shared/time-format.js";
import { within } from "../../../shared/within.js";
import { buildMechanismModal } from "../../blocks/mechanism-modal.js";
import { buildHelp, buildHistory, buildMechanismList } from "../../blocks/messages.js";
import { md } from "../../blocks/mrkdwn.js";
import { buildLogDecisionModal } from "../../blocks/review.js";
import { buildTeamSetupModal } from "../../blocks/team-setup-modal.js";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { ephemeral } from "../reply.js";
import { alarmSubcommands } from "./alarms.js";
import { debriefSubcommands } from "./debrief.js";
import { deviationSubcommands } from "./deviations.js";
import { incidentSubcommands } from "./incident.js";
import { rollupSubcommands } from "./rollup.js";

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
/** A `/ratchet <word> …` handler; `rest` is the text after the word. */
export type Subcommand = (args: CommandArgs, rest: string) => Promise<void>;
export type SubcommandSet = (deps: SlackDeps) => Record<string, Subcommand>;

/** Each feature contributes its subcommands here. */
const FEATURES: SubcommandSet[] = [
  coreSubcommands,
  deviationSubcommands,
  debriefSubcommands,
  alarmSubcommands,
  rollupSubcommands,
  incidentSubcommands,
];

/** `/ratchet <subcommand>`: acks at once, then routes; every failure answers the caller. */
export function register(app: App, deps: SlackDeps): void {
  const subs: Record<string, Subcommand> = Object.assign({}, ...FEATURES.map((f) => f(deps)));

  app.command("/ratchet", async (args) => {
    const { ack, command, respond } = args;
    await ack();
    const text = command.text.trim();
    const [word = "", ...restWords] = text.split(/\s+/);
    const key = word.toLowerCase();
    // Own keys only: "constructor" or "__proto__" must get help, not Object's built-ins.
    const sub = Object.hasOwn(subs, key) ? subs[key] : undefined;
    try {
      if (!sub) {
        const note = word ? md`I don't know \`/ratchet ${word}\`.` : undefined;
        await respond(ephemeral(buildHelp(note)));
        return;
      }
      await sub(args, restWords.join(" "));
    } catch (err) {
      const message = userMessage(err, deps.log, {
        command: text,
        user: command.user_id,
        channel: command.channel_id,
      });
      await respond(ephemeral(message)).catch((e: unknown) =>
        deps.log.error({ err: e }, "could not answer a failed command"),
      );
    }
  });
}

/** Teams, mechanisms and the decision log. */
function coreSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    help: async ({ respond }) => {
      await respond(ephemeral(buildHelp()));
    },
    setup: async ({ command, client }) => {
      // users.info first: the default time zone is the caller's own.
      // The caller's zone is only a default: it gets at most a second of the trigger's three.
      const [caller, team] = await Promise.all([
        within(deps.notifier.userInfo(command.user_id), 1000, null),
        deps.teams.findByChannel(command.team_id, command.channel_id),
      ]);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildTeamSetupModal({
          team,
          channelId: command.channel_id,
          defaultTimezone: caller?.tz ?? "UTC",
        }),
      });
    },
    new: async ({ command, client }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildMechanismModal({
          meta: { teamId: team.id },
          mechanism: null,
          defaultOwnerId: command.user_id,
          defaultCadence: team.cadenceWeeks,
        }),
      });
    },
    log: async ({ command, client, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const active = (await deps.mechanisms.list(team)).filter((m) => m.status === "active");
      if (active.length === 0) {
        await respond(
          ephemeral(md`No active mechanisms to log a decision on. Write one with \`/ratchet new\`.`),
        );
        return;
      }
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildLogDecisionModal({ teamId: team.id, mechanisms: active, preset: null }),
      });
    },
    list: async ({ command, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const [mechanisms, problem] = await Promise.all([
        deps.mechanisms.list(team),
        deps.deliveries.problemFor(team.channelId),
      ]);
      await respond(
        ephemeral(
          buildMechanismList({
            team,
            mechanisms,
            problem,
            nextLabel: (m) => (m.nextReviewAt ? localLabel(m.nextReviewAt, team.timezone) : null),
          }),
        ),
      );
    },
    history: async ({ command, respond }, rest) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const mechanism = await deps.mechanisms.find(team, rest);
      const decisions = await deps.mechanisms.decisions(mechanism.id);
      await respond(
        ephemeral(buildHistory({ mechanism, decisions, tzLabel: (d) => localLabel(d, team.timezone) })),
      );
    },
  };
}
