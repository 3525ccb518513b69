import type { KnownBlock } from "@slack/types";
import type { Decision, Mechanism, Reading, SignalKind } from "../../mechanisms/mechanism.js";
import { ACTION } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { CHECKPOINT_LABEL, DECISION_EMOJI, DECISION_LABEL, user, withUnit } from "./format.js";
import { actions, button, context, divider, esc, fields, header, section } from "./kit.js";

const KIND_LABEL: Record<SignalKind, string> = { proxy: "Proxy", outcome: "Outcome", leading: "Leading" };

/** The mechanism's one-pager, posted once to the team channel and updated in place. */
export function buildOnePager(o: {
  mechanism: Mechanism;
  latestReadings: Partial<Record<SignalKind, Reading>>;
  lastDecision: Decision | null;
  missingDoD: string[];
  nextReviewLabel: string | null;
}): SlackMessage {
  const m = o.mechanism;
  const stopped = m.status === "stopped";
  const blocks: KnownBlock[] = [
    header(`${stopped ? "🔴 Stopped — " : ""}${m.title}`),
    section(
      `*Aim* — ${esc(m.aim)}\n${withUnit(m.aimFrom, m.aimUnit)} → ${withUnit(m.aimTo, m.aimUnit)} for ${esc(m.aimForWhom)}, by ${m.aimBy}`,
    ),
    section(`*Mechanism* — ${esc(m.statement)}`),
    fields(
      m.signals.map((s) => {
        const r = o.latestReadings[s.kind];
        const latest = r ? `latest ${withUnit(r.value, s.unit)}` : "no reading yet";
        return `*${KIND_LABEL[s.kind]}:* ${esc(s.name)}\n${withUnit(s.baseline, s.unit)} → ${withUnit(s.target, s.unit)} · ${latest}`;
      }),
    ),
    section(
      `*Checkpoint* — continue if ${esc(m.checkpointRule.replace(/^continue if\s*/i, "")) || "_not written_"}`,
    ),
    fields([
      `*Guardrail:* ${esc(m.guardrail) || "_none_"}\n*Can say stop:* ${user(m.stopOwnerId)}`,
      `*Rollback / kill:* ${esc(m.rollbackPath) || "_not written_"}`,
      `*Owner:* ${user(m.ownerId)}`,
      `*Review:* 15 min every ${m.cadenceWeeks === 2 ? "two weeks" : "week"}${
        stopped ? "" : o.nextReviewLabel ? ` · next ${o.nextReviewLabel}` : ""
      }`,
    ]),
  ];
  if (o.lastDecision) {
    const d = o.lastDecision;
    blocks.push(
      section(
        `*Last decision:* ${DECISION_EMOJI[d.decision]} ${DECISION_LABEL[d.decision]} (${CHECKPOINT_LABEL[d.checkpoint]}) by ${user(d.decidedBy)}\n>${esc(d.entry).replace(/\n/g, "\n>")}`,
      ),
    );
  }
  blocks.push(
    context(
      o.missingDoD.length === 0
        ? "✅ Definition of Done complete"
        : `⚠️ Definition of Done — still missing: ${o.missingDoD.map(esc).join("; ")}`,
    ),
  );
  if (!stopped) {
    blocks.push(
      divider(),
      actions([
        button("Log a decision", ACTION.logDecision, m.id, "primary"),
        button("Edit one-pager", ACTION.editMechanism, m.id),
      ]),
    );
  }
  return { text: `Mechanism: ${m.title}${stopped ? " (stopped)" : ""}`, blocks };
}
