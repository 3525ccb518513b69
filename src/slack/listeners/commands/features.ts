import type { SubcommandSet } from "../kit/subcommand.js";
import { alarmSubcommands } from "./alarms.js";
import { auditSubcommands } from "./audit.js";
import { calendarSubcommands } from "./calendar.js";
import { debriefSubcommands } from "./debrief.js";
import { decisionSubcommands } from "./decisions.js";
import { deviationSubcommands } from "./deviations.js";
import { exportSubcommands } from "./export.js";
import { floorSubcommands } from "./floor.js";
import { hatCaseSubcommands } from "./hat-cases.js";
import { incidentSubcommands } from "./incident.js";
import { learnSubcommands } from "./learn.js";
import { mechanismSubcommands } from "./mechanisms.js";
import { peopleSubcommands } from "./people.js";
import { quarterSubcommands } from "./quarter.js";
import { rollupSubcommands } from "./rollup.js";
import { settingsSubcommands } from "./settings.js";
import { wbrSubcommands } from "./wbr.js";

/** Each feature contributes its `/ratchet` subcommands here (a word two features claim: the later wins). */
export const FEATURES: SubcommandSet[] = [
  settingsSubcommands,
  mechanismSubcommands,
  decisionSubcommands,
  deviationSubcommands,
  hatCaseSubcommands,
  floorSubcommands,
  debriefSubcommands,
  alarmSubcommands,
  rollupSubcommands,
  incidentSubcommands,
  wbrSubcommands,
  learnSubcommands,
  quarterSubcommands,
  exportSubcommands,
  auditSubcommands,
  peopleSubcommands,
  calendarSubcommands,
];
