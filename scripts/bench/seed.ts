// Puts the bench's Ratchet into the state the scenarios need, the way a person would (signed requests through
// SlackSender), plus one Review row per review submission, inserted straight into the bench database.
import { createDb, type Db } from "../../src/db/client.js";
import { PrismaMechanismRepository } from "../../src/mechanisms/mechanism-repository.js";
import type { FakeSlack, StoredView } from "../../src/sandbox/fake-slack.js";
import { buildReviewModal } from "../../src/slack/blocks/review.js";
import { TEAM_BLOCK } from "../../src/slack/ids.js";
import type { SlackSender } from "../../test/slack/sender.js";
import { buildViewState } from "../../test/slack/view-state.js";
import { goodMechanism, reviewAnswers } from "../../test/support/fixtures.js";

export const TEAM_CHANNEL = "C0TEAM";
export const BENCH_USER = "U0OWNER";

async function openedView(fake: FakeSlack): Promise<StoredView> {
  await fake.waitFor("views.open", undefined, 10_000);
  const view = fake.lastOpenedView();
  if (!view) throw new Error("views.open was called but the fake stored no view");
  return view;
}

/** `/ratchet setup` in C0TEAM, then the team setup modal submitted (as test/support/fixtures.ts setupTeam). */
export async function setupTeam(fake: FakeSlack, sender: SlackSender): Promise<void> {
  await sender.command("setup", { channelId: TEAM_CHANNEL, userId: BENCH_USER });
  const view = await openedView(fake);
  const res = await sender.submitView(
    view.id,
    {
      [TEAM_BLOCK.name]: "Checkout squad",
      [TEAM_BLOCK.timezone]: "Europe/London",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    },
    { userId: BENCH_USER },
  );
  if (res.status !== 200 || res.errors) throw new Error(`team setup refused: ${JSON.stringify(res)}`);
  await fake.waitFor("chat.postMessage", undefined, 10_000);
}

/** `/ratchet new` in C0TEAM and the one-pager submitted with the fixtures' good answers; resolves once posted. */
export async function createMechanism(fake: FakeSlack, sender: SlackSender): Promise<void> {
  await sender.command("new", { channelId: TEAM_CHANNEL, userId: BENCH_USER });
  const view = await openedView(fake);
  const res = await sender.submitView(view.id, goodMechanism, { userId: BENCH_USER });
  if (res.status !== 200 || res.errors) throw new Error(`mechanism refused: ${JSON.stringify(res)}`);
  await fake.waitFor("chat.postMessage", (a) => String(a.text).startsWith("Mechanism:"), 10_000);
}

export interface ReviewFixture {
  mechanismId: string;
  reviewIds: string[];
  /** The review modal as Slack stores it (ids, hash, app fields), to echo back in each view_submission. */
  view: StoredView;
  /** state.values of a filled-in review: readings for both signals, decision "continue". */
  values: ReturnType<typeof buildViewState>;
}

/**
 * Opens the database the child uses, finds the mechanism the seed created, inserts `count` open reviews
 * (status "reminded", one a week in the past, as if the reminders had been posted) and builds the review
 * modal the "Open review" button would open, stored by the fake via views.open so it has Slack's fields.
 */
export async function prepareReviews(o: {
  databaseUrl: string;
  fake: FakeSlack;
  botToken: string;
  count: number;
}): Promise<ReviewFixture> {
  const db: Db = await createDb(o.databaseUrl);
  try {
    const row = await db.mechanism.findFirst({ where: { messageTs: { not: null } } });
    if (!row) throw new Error("the seeded mechanism is not in the database");
    const week = 7 * 86_400_000;
    const firstDue = Date.UTC(2020, 0, 7, 10);
    const ids = Array.from({ length: o.count }, (_, i) => `benchreview${String(i).padStart(6, "0")}`);
    await db.review.createMany({
      data: ids.map((id, i) => ({
        id,
        mechanismId: row.id,
        dueAt: new Date(firstDue + i * week),
        status: "reminded",
        createdAt: new Date(firstDue + i * week),
      })),
    });
    const mechanism = await new PrismaMechanismRepository(db).findById(row.id);
    if (!mechanism) throw new Error("the seeded mechanism disappeared");
    const modal = buildReviewModal({
      meta: { mechanismId: mechanism.id, reviewId: ids[0] ?? null },
      mechanism,
      latestReadings: {},
      checkpoint: null,
    });
    const view = await storeView(o.fake, o.botToken, modal);
    const values = buildViewState(
      view,
      reviewAnswers({
        decision: "continue",
        proxy: "85",
        outcome: "31",
        entry: "Proxy up, outcome up; keep going.",
      }),
      { timezone: "Europe/London", requireAnswers: true },
    );
    return { mechanismId: mechanism.id, reviewIds: ids, view, values };
  } finally {
    await db.$disconnect();
  }
}

/** Asks the fake to open `view` (it validates it against Slack's limits) and returns what it stored. */
async function storeView(fake: FakeSlack, botToken: string, view: unknown): Promise<StoredView> {
  const res = await fetch(`${fake.apiUrl}views.open`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${botToken}` },
    body: JSON.stringify({ trigger_id: fake.newTriggerId(), view }),
  });
  const body = (await res.json()) as { ok: boolean; error?: string; view?: StoredView };
  if (!body.ok || !body.view)
    throw new Error(`the fake refused the review modal: ${body.error ?? "no view"}`);
  return body.view;
}

/**
 * How many decisions Ratchet recorded: after the review scenario, one per acked submission, or the bench
 * timed acks of work Ratchet skipped (a submission it took for a double-click, say).
 */
export async function countDecisions(databaseUrl: string): Promise<number> {
  const db: Db = await createDb(databaseUrl);
  try {
    return await db.decision.count();
  } finally {
    await db.$disconnect();
  }
}
