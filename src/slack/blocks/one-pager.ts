import type { KnownBlock } from "@slack/types";
import { readGuardrail } from "../../mechanisms/guardrail.js";
import type {
  Decision,
  LatestGuardrailReadings,
  LatestReadings,
  Mechanism,
  SignalKind,
} from "../../mechanisms/mechanism.js";
import type { OnePager } from "../../notices.js";
import { formatNumber } from "../../shared/number-format.js";
import { withUnit as withUnitText } from "../../shared/text.js";
import { localLabel } from "../../shared/time-format.js";
import { ACTION, AUDIT_ACTION } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import {
  CHECKPOINT_LABEL,
  decisionDetails,
  decisionHeadline,
  ENDED_BADGE,
  user,
  withUnit,
} from "./format.js";
import { guardrailLine } from "./guardrails.js";
import { actions, button, context, divider, fields, header, message, section } from "./kit.js";
import { joinMd, type Mrkdwn, md, quote } from "./mrkdwn.js";

const KIND_LABEL: Record<SignalKind, string> = { proxy: "Proxy", outcome: "Outcome", leading: "Leading" };

/** A guardrail nobody can see being crossed is prose: say so where the team reads it (issue 11). */
const NO_THRESHOLD = md`⚠️ _no threshold — add one, e.g. “error rate ≤ 0.1%”_`;
const guardrailFlag = (text: string) =>
  text.trim() !== "" && readGuardrail(text).comparison === null ? md`\n${NO_THRESHOLD}` : md``;

/** Each guardrail with its line and who can say stop; the text as written when none is stored. */
function guardrailsField(m: Mechanism, latest: LatestGuardrailReadings): Mrkdwn {
  const stored = m.guardrails ?? [];
  if (stored.length === 0) {
    return md`*Guardrail:* ${m.guardrail ? md`${m.guardrail}` : md`_none_`}${guardrailFlag(m.guardrail)}\n*Can say stop:* ${user(m.stopOwnerId)}`;
  }
  const lines = stored.map((g) => {
    const drawn = guardrailLine(g);
    const line = drawn === "" ? NO_THRESHOLD : md`${drawn}`;
    const r = latest[g.id];
    const reading = !r
      ? md``
      : r.breached
        ? md` · 🔴 *Breached*: ${withUnitText(formatNumber(r.value), g.unit)}`
        : md` · latest ${withUnitText(formatNumber(r.value), g.unit)}`;
    return md`• ${g.name} ${line}${reading} · stop: ${user(g.stopOwnerId ?? m.stopOwnerId)}`;
  });
  return md`*${stored.length === 1 ? "Guardrail" : "Guardrails"}:*\n${joinMd(lines, "\n")}`;
}

/** The mechanism's one-pager, posted once to the team channel and updated in place. */
export function buildOnePager(o: {
  mechanism: Mechanism;
  latestReadings: LatestReadings;
  latestGuardrailReadings?: LatestGuardrailReadings;
  lastDecision: Decision | null;
  missingDoD: string[];
  nextReviewLabel: string | null;
}): SlackMessage {
  const m = o.mechanism;
  const ended = m.status === "active" ? null : ENDED_BADGE[m.status];
  const rule = m.checkpointRule.replace(/^continue if\s*/i, "");
  const blocks: KnownBlock[] = [
    header(`${ended ? `${ended} — ` : ""}${m.title}`),
    section(
      md`*Aim* — ${m.aim}\n${withUnit(m.aimFrom, m.aimUnit)} → ${withUnit(m.aimTo, m.aimUnit)} for ${m.aimForWhom}, by ${m.aimBy}`,
    ),
    section(md`*Mechanism* — ${m.statement}`),
    fields(
      m.signals.map((s) => {
        const r = o.latestReadings[s.id];
        const latest = r ? md`latest ${withUnit(r.value, s.unit)}` : md`no reading yet`;
        return md`*${KIND_LABEL[s.kind]}:* ${s.name}\n${withUnit(s.baseline, s.unit)} → ${withUnit(s.target, s.unit)} · ${latest}`;
      }),
    ),
    section(md`*Checkpoint* — continue if ${rule ? md`${rule}` : md`_not written_`}`),
    fields([
      guardrailsField(m, o.latestGuardrailReadings ?? {}),
      md`*Rollback / kill:* ${m.rollbackPath ? md`${m.rollbackPath}` : md`_not written_`}`,
      md`*If it works, who runs it:* ${m.opsPath ? md`${m.opsPath}` : md`_not written_`}`,
      md`*Owner:* ${user(m.ownerId)}`,
      md`*Review:* 15 min every ${m.cadenceWeeks === 2 ? "two weeks" : "week"}${
        ended || !o.nextReviewLabel ? "" : ` · next ${o.nextReviewLabel}`
      }`,
    ]),
  ];
  if (o.lastDecision) {
    const d = o.lastDecision;
    blocks.push(
      section(
        joinMd(
          [
            md`*Last decision:* ${decisionHeadline(d)}${d.source === "edit" ? md`` : md` (${CHECKPOINT_LABEL[d.checkpoint]})`} by ${user(d.decidedBy)}\n${quote(d.entry)}`,
            ...decisionDetails(d),
          ],
          "\n",
        ),
      ),
    );
  }
  blocks.push(
    context(
      o.missingDoD.length === 0
        ? md`✅ Definition of Done complete`
        : md`⚠️ Definition of Done — still missing: ${joinMd(o.missingDoD, "; ")}`,
    ),
  );
  if (!ended) {
    blocks.push(
      divider(),
      actions([
        button("Log a decision", ACTION.logDecision, m.id, "primary"),
        button("Edit one-pager", ACTION.editMechanism, m.id),
        button("History", AUDIT_ACTION.history, JSON.stringify({ t: "mechanism", id: m.id })),
      ]),
    );
  } else {
    // An ended mechanism keeps its history one click away.
    blocks.push(
      actions([button("History", AUDIT_ACTION.history, JSON.stringify({ t: "mechanism", id: m.id }))]),
    );
  }
  return message(md`Mechanism: ${m.title}${m.status === "active" ? "" : ` (${m.status})`}`, blocks);
}

/** The one-pager notice drawn: its first post (a delivery) and every edit in place look the same. */
export function drawOnePager(n: OnePager): SlackMessage {
  return buildOnePager({
    mechanism: n.mechanism,
    latestReadings: n.latestReadings,
    latestGuardrailReadings: n.latestGuardrailReadings ?? {},
    lastDecision: n.lastDecision,
    missingDoD: n.missingDoD,
    nextReviewLabel: n.nextReviewAt ? localLabel(n.nextReviewAt, n.timezone) : null,
  });
}
