import type { DecisionKind } from "../../src/mechanisms/mechanism.js";
import { MECH_BLOCK, REVIEW_BLOCK, readingBlock, signalBlock, TEAM_BLOCK } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "./eventually.js";
import type { Harness } from "./harness.js";

/** Sets up the Checkout squad in C0TEAM: Tuesdays 10:00 Europe/London, weekly. */
export async function setupTeam(h: Harness, o: { cadence?: "1" | "2"; tz?: string } = {}) {
  await h.sender.command("setup", { channelId: "C0TEAM" });
  const view = await h.openedView();
  const res = await h.sender.submitView(view.id, {
    [TEAM_BLOCK.name]: "Checkout squad",
    [TEAM_BLOCK.timezone]: o.tz ?? "Europe/London",
    [TEAM_BLOCK.weekday]: "2",
    [TEAM_BLOCK.time]: "10:00",
    [TEAM_BLOCK.cadence]: o.cadence ?? "1",
  });
  if (res.errors) throw new Error(`team setup refused: ${JSON.stringify(res.errors)}`);
  await h.fake.waitFor("chat.postMessage", undefined, 5000);
  return h.testDb.db.team.findFirstOrThrow({ where: { channelId: "C0TEAM" } });
}

/** A complete, valid one-pager (the seeds' activation example). */
export const goodMechanism: Record<string, Answer> = {
  [MECH_BLOCK.title]: "First-run nudge",
  [MECH_BLOCK.aim]: "Increase activation for new SMB signups",
  [MECH_BLOCK.aimForWhom]: "Segment S: new SMB signups",
  [MECH_BLOCK.aimFrom]: "27",
  [MECH_BLOCK.aimTo]: "35",
  [MECH_BLOCK.aimUnit]: "%",
  [MECH_BLOCK.aimBy]: "2027-01-31",
  [MECH_BLOCK.statement]:
    "We believe making Action X unmissable will raise activation because it removes confusion at step N",
  [signalBlock("proxy", "name")]: "% doing Action X in 24h",
  [signalBlock("proxy", "baseline")]: "40",
  [signalBlock("proxy", "target")]: "80",
  [signalBlock("proxy", "unit")]: "%",
  [signalBlock("outcome", "name")]: "14-day activation",
  [signalBlock("outcome", "baseline")]: "27",
  [signalBlock("outcome", "target")]: "35",
  [signalBlock("outcome", "unit")]: "%",
  [MECH_BLOCK.checkpointRule]: "continue if proxy >= 80 and outcome change >= 3",
  [MECH_BLOCK.guardrail]: "Error rate ≤ 0.1% on signup",
  [MECH_BLOCK.stopOwner]: "U0STOPPER",
  [MECH_BLOCK.rollbackPath]: "Feature flag off",
  [MECH_BLOCK.owner]: "U0OWNER",
  [MECH_BLOCK.cadence]: "1",
};

/** Opens /ratchet new in the team channel and submits the one-pager; resolves once it is posted. */
export async function createMechanism(h: Harness, answers: Record<string, Answer> = goodMechanism) {
  await h.sender.command("new", { channelId: "C0TEAM" });
  const view = await h.openedView();
  const res = await h.sender.submitView(view.id, answers);
  if (res.errors) throw new Error(`mechanism refused: ${JSON.stringify(res.errors)}`);
  const post = await h.fake.waitFor("chat.postMessage", (a) => String(a.text).startsWith("Mechanism:"), 5000);
  const mechanism = await eventually(() =>
    h.testDb.db.mechanism.findFirst({ where: { messageTs: { not: null } }, orderBy: { createdAt: "desc" } }),
  );
  return { mechanism, post };
}

export const reviewAnswers = (o: {
  decision: DecisionKind;
  proxy?: string;
  outcome?: string;
  entry?: string;
  change?: string;
}): Record<string, Answer> => ({
  [REVIEW_BLOCK.whatChanged]: "Shipped the in-product prompt to 10% of Segment S",
  [REVIEW_BLOCK.whatDidnt]: "Email nudges were not sent",
  [REVIEW_BLOCK.why]: "The prompt removes confusion at step N",
  ...(o.proxy !== undefined ? { [readingBlock("proxy")]: o.proxy } : {}),
  ...(o.outcome !== undefined ? { [readingBlock("outcome")]: o.outcome } : {}),
  [REVIEW_BLOCK.decision]: o.decision,
  ...(o.change ? { [REVIEW_BLOCK.changeDetail]: o.change } : {}),
  [REVIEW_BLOCK.entry]: o.entry ?? "Proxy up, outcome up; keep going.",
});
