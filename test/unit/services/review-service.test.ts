import { beforeEach, describe, expect, it } from "vitest";
import type { MechanismInput } from "../../../src/mechanisms/mechanism.js";
import { MechanismService } from "../../../src/mechanisms/mechanism-service.js";
import type { DecisionInput } from "../../../src/reviews/review.js";
import { ReviewService } from "../../../src/reviews/review-service.js";
import { ManualClock } from "../../../src/shared/clock.js";
import type { Outbox } from "../../../src/shared/deliveries.js";
import { DomainError } from "../../../src/shared/errors.js";
import { createLogger } from "../../../src/shared/logger.js";
import { TeamService } from "../../../src/teams/team-service.js";
import { findBlock, textOf } from "../../support/blocks.js";
import { testAnnouncer, testDelivery } from "../../support/delivery.js";
import { createInMemoryRepositories } from "../../support/fakes/in-memory-repositories.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

// The e2e suite (test/e2e/reviews.test.ts) proves the same flows through HTTP and a database;
// these run the services alone over in-memory fakes, so they are fast and pinpoint the service.

const log = createLogger("silent");
const CHANNEL = "C0TEAM";

const mechanismInput = (o: Partial<MechanismInput> = {}): MechanismInput => ({
  title: "First-run nudge",
  aim: "Increase activation for new SMB signups",
  aimForWhom: "Segment S: new SMB signups",
  aimFrom: 27,
  aimTo: 35,
  aimUnit: "%",
  aimBy: "2027-01-31",
  statement: "We believe making Action X unmissable will raise activation",
  checkpointRule: "continue if proxy >= 80 and outcome change >= 3",
  guardrail: "Error rate ≤ 0.1% on signup",
  stopOwnerId: "U0STOPPER",
  rollbackPath: "Feature flag off",
  ownerId: "U0OWNER",
  cadenceWeeks: 1,
  signals: [
    { kind: "proxy", name: "% doing Action X in 24h", baseline: 40, target: 80, unit: "%" },
    { kind: "outcome", name: "14-day activation", baseline: 27, target: 35, unit: "%" },
  ],
  ...o,
});

type Repos = ReturnType<typeof createInMemoryRepositories>;

/** The services as compose() wires them; calling it again over the same repositories is a restart. */
function servicesOver(repos: Repos, clock: ManualClock, notifier: RecordingNotifier, outbox: Outbox) {
  const mechanisms = new MechanismService({
    mechanisms: repos.mechanisms,
    teams: repos.teams,
    clock,
    announcer: testAnnouncer(notifier),
    outbox,
    log,
  });
  const teams = new TeamService({
    teams: repos.teams,
    clock,
    outbox,
    log,
    onRescheduled: (t) => mechanisms.rescheduleTeam(t),
  });
  const reviews = new ReviewService({
    mechanisms: repos.mechanisms,
    reviews: repos.reviews,
    teams: repos.teams,
    mechanismService: mechanisms,
    clock,
    announcer: testAnnouncer(notifier),
    outbox,
    log,
  });
  return { mechanisms, teams, reviews };
}

/** Checkout squad, Tuesdays 10:00 Europe/London, weekly; one mechanism with its one-pager posted. */
async function world() {
  const clock = new ManualClock("2026-11-23T09:00:00Z"); // a Monday
  const repos = createInMemoryRepositories();
  const notifier = new RecordingNotifier();
  // One outbox for every "process": the store is the database, the deliverer any replica's.
  const delivery = testDelivery({ notifier, clock });
  const services = servicesOver(repos, clock, notifier, delivery.outbox);
  delivery.handle({
    review_due: services.reviews.reminderHandler,
    decision_entry: services.reviews.decisionHandler,
    one_pager: services.mechanisms.onePagerHandler,
    team_saved: services.teams.savedHandler,
  });
  const { team } = await services.teams.setup(
    {
      slackTeamId: "T0WORK",
      name: "Checkout squad",
      channelId: CHANNEL,
      timezone: "Europe/London",
      reviewWeekday: 2,
      reviewTime: "10:00",
      cadenceWeeks: 1,
      userId: "U0LEAD",
    },
    { submission: "view:VSETUP:h" },
  );
  const mechanism = await services.mechanisms.create(team, mechanismInput(), "U0LEAD");
  // The confirmation and the one-pager, as the kick after each save posts them.
  await delivery.deliver(clock.now());
  const reminders = () =>
    notifier.postsIn(CHANNEL).filter((p) => p.msg.text.text.startsWith("15-minute review due"));
  /** One tick of one process: the review job, then the deliveries job, as the scheduler runs them. */
  const tick = async (reviews = services.reviews) => {
    const before = reminders().length;
    const { claimed } = await reviews.sweep(clock.now());
    await delivery.deliver(clock.now());
    return { claimed, posted: reminders().length - before };
  };
  /** Moves the clock, then ticks. */
  const sweepAt = (iso: string) => {
    clock.set(iso);
    return tick();
  };
  const restart = () => servicesOver(repos, clock, notifier, delivery.outbox);
  const reminderDeliveries = () => delivery.store.all().filter((d) => d.kind === "review_due");
  return {
    clock,
    repos,
    notifier,
    delivery,
    ...services,
    team,
    mechanism,
    sweepAt,
    tick,
    restart,
    reminders,
    reminderDeliveries,
  };
}

const decisionInput = (o: Partial<DecisionInput> & Pick<DecisionInput, "mechanismId">): DecisionInput => ({
  reviewId: null,
  decision: "continue",
  entry: "Proxy up, outcome up; keep going.",
  whatChanged: "Shipped the prompt to 10% of Segment S",
  whatDidnt: "Email nudges were not sent",
  why: "The prompt removes confusion at step N",
  changeDetail: "",
  gateReason: "",
  readings: {},
  decidedBy: "U0OWNER",
  ...o,
});

async function domainErrorFrom(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("ReviewService over in-memory repositories", () => {
  let w: Awaited<ReturnType<typeof world>>;
  /** Readings are keyed by signal id; these tests write them by role. */
  const byRole = (readings: Partial<Record<string, number>>) =>
    Object.fromEntries(
      Object.entries(readings).map(([kind, v]) => [w.mechanism.signals.find((s) => s.kind === kind)?.id, v]),
    );
  beforeEach(async () => {
    w = await world();
  });

  describe("the review sweep", () => {
    it("posts nothing before the team's local review time", async () => {
      expect(await w.sweepAt("2026-11-24T09:59:00Z")).toEqual({ claimed: 0, posted: 0 });
      expect(w.reminders()).toHaveLength(0);
      expect(w.repos.store.allReviews()).toHaveLength(0);
    });

    it("claims and posts once when it runs twice for the same now", async () => {
      expect(await w.sweepAt("2026-11-24T10:00:30Z")).toEqual({ claimed: 1, posted: 1 });
      expect(await w.tick()).toEqual({ claimed: 0, posted: 0 });
      expect(w.reminders()).toHaveLength(1);
      const [review] = w.repos.store.allReviews();
      expect(review).toMatchObject({ status: "reminded", late: false, messageChannelId: CHANNEL });
      expect(w.reminderDeliveries()).toMatchObject([
        { key: `review:${review?.id}`, status: "sent", attempts: 1 },
      ]);
      expect(review?.dueAt.toISOString()).toBe("2026-11-24T10:00:00.000Z");
      expect(review?.messageTs).toBe(w.reminders()[0]?.ts);
      const m = await w.repos.mechanisms.findById(w.mechanism.id);
      expect(m?.nextReviewAt?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    });

    it("queues a claimed reminder on the next tick when queuing it failed after the claim (a crash in between)", async () => {
      const enqueueMany = w.delivery.outbox.enqueueMany;
      w.delivery.outbox.enqueueMany = async () => {
        throw new Error("database went away");
      };
      expect(await w.sweepAt("2026-11-24T10:00:30Z")).toEqual({ claimed: 1, posted: 0 });
      expect(w.reminderDeliveries()).toEqual([]);
      w.delivery.outbox.enqueueMany = enqueueMany;
      expect(await w.sweepAt("2026-11-24T10:01:30Z")).toEqual({ claimed: 0, posted: 1 });
      expect(w.reminders()).toHaveLength(1);
      expect(w.repos.store.allReviews()).toMatchObject([{ status: "reminded" }]);
    });

    it("does not re-post after a restart: a second ReviewService over the same repositories finds the claim", async () => {
      await w.sweepAt("2026-11-24T10:00:30Z");
      const restarted = w.restart();
      expect(await w.tick(restarted.reviews)).toEqual({ claimed: 0, posted: 0 });
      w.clock.set("2026-11-24T10:05:00Z");
      expect(await w.tick(restarted.reviews)).toEqual({ claimed: 0, posted: 0 });
      expect(w.reminders()).toHaveLength(1);
      expect(w.repos.store.allReviews()).toHaveLength(1);
    });

    it("posts one reminder when two processes sweep the same now at once (optimistic claim)", async () => {
      const other = w.restart();
      w.clock.set("2026-11-24T10:00:30Z");
      const results = await Promise.all([w.tick(), w.tick(other.reviews)]);
      expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(1);
      expect(w.reminders()).toHaveLength(1);
      expect(w.repos.store.allReviews()).toHaveLength(1);
    });

    it("after 3 missed slots posts only the latest, marked late, and records the 2 older ones as missed", async () => {
      // Ratchet was down through Tue 24 Nov, 1 Dec and 8 Dec.
      expect(await w.sweepAt("2026-12-09T08:00:00Z")).toEqual({ claimed: 1, posted: 1 });
      const rows = w.repos.store.allReviews();
      expect(rows.map((r) => [r.dueAt.toISOString().slice(0, 10), r.status, r.late])).toEqual([
        ["2026-11-24", "missed", false],
        ["2026-12-01", "missed", false],
        ["2026-12-08", "reminded", true],
      ]);
      expect(w.reminders()).toHaveLength(1);
      const headline = findBlock(w.reminders()[0]?.msg.blocks ?? [], {
        type: "section",
        text: "*15-minute review due — First-run nudge*",
      });
      expect(textOf(headline)).toContain("posted late");
      const m = await w.repos.mechanisms.findById(w.mechanism.id);
      expect(m?.nextReviewAt?.toISOString()).toBe("2026-12-15T10:00:00.000Z");
    });

    it("marks the previous reminder unanswered when the next one is claimed", async () => {
      await w.sweepAt("2026-11-24T10:00:30Z");
      await w.sweepAt("2026-12-01T10:00:30Z");
      expect(w.repos.store.allReviews().map((r) => r.status)).toEqual(["unanswered", "reminded"]);
      expect(w.reminders()).toHaveLength(2);
    });

    it("leaves the review claimed when Slack refuses the post, and posts it after the back-off", async () => {
      w.notifier.failNext("post", "service_unavailable");
      expect(await w.sweepAt("2026-11-24T10:00:30Z")).toEqual({ claimed: 1, posted: 0 });
      expect(w.reminders()).toHaveLength(0);
      expect(w.repos.store.allReviews()).toMatchObject([{ status: "claimed", messageTs: null }]);
      expect(w.reminderDeliveries()).toMatchObject([
        { status: "queued", attempts: 1, error: "service_unavailable" },
      ]);
      expect(await w.sweepAt("2026-11-24T10:01:30Z")).toEqual({ claimed: 0, posted: 1 });
      expect(w.repos.store.allReviews()).toMatchObject([{ status: "reminded" }]);
      expect(w.reminderDeliveries()).toMatchObject([{ status: "sent", attempts: 2 }]);
    });

    it("cancels a reminder whose review was decided before it could be posted", async () => {
      w.notifier.failNext("post", "service_unavailable");
      await w.sweepAt("2026-11-24T10:00:30Z");
      const [review] = w.repos.store.allReviews();
      await w.reviews.decide(decisionInput({ mechanismId: w.mechanism.id, reviewId: review?.id ?? null }));
      expect(await w.sweepAt("2026-11-24T10:05:00Z")).toEqual({ claimed: 0, posted: 0 });
      expect(w.reminderDeliveries()).toMatchObject([{ status: "cancelled", error: "no longer wanted" }]);
    });
  });

  describe("decisions", () => {
    async function claimedReview() {
      await w.sweepAt("2026-11-24T10:00:30Z");
      const [review] = await w.repos.reviews.listByMechanism(w.mechanism.id);
      if (!review) throw new Error("no review claimed");
      w.clock.set("2026-11-24T10:20:00Z");
      return review;
    }

    it.each([
      { readings: { proxy: 85, outcome: 31 }, checkpoint: "pass" },
      { readings: { proxy: 60, outcome: 31 }, checkpoint: "fail" },
      { readings: { proxy: 85, outcome: 28 }, checkpoint: "fail" },
      { readings: { proxy: 85 }, checkpoint: "unknown" },
      { readings: {}, checkpoint: "unknown" },
    ] as const)("stores checkpoint $checkpoint for readings $readings", async ({ readings, checkpoint }) => {
      const review = await claimedReview();
      const gateReason = "Holiday week: half the traffic";
      const r = await w.reviews.decide(
        decisionInput({
          mechanismId: w.mechanism.id,
          reviewId: review.id,
          readings: byRole(readings),
          gateReason,
        }),
      );
      expect(r.decision).toMatchObject({ checkpoint, source: "review", reviewId: review.id });
      // The reason is kept only where it explains something: a continue past a failing gate.
      expect(r.decision.gateReason).toBe(checkpoint === "fail" ? gateReason : "");
      expect(w.repos.store.allDecisions()).toMatchObject([{ checkpoint, decision: "continue" }]);
      // Readings are stored against the review, one per signal read.
      const stored = w.repos.store.allReadings();
      expect(stored.map((x) => x.value).sort()).toEqual(Object.values(readings).sort());
      expect(stored.every((x) => x.reviewId === review.id && x.recordedBy === "U0OWNER")).toBe(true);
      expect((await w.repos.reviews.findById(review.id))?.status).toBe("done");
    });

    it("refuses to continue past a failing checkpoint without a reason, storing nothing", async () => {
      const review = await claimedReview();
      const input = decisionInput({ mechanismId: w.mechanism.id, reviewId: review.id });
      const failing = { ...input, readings: byRole({ proxy: 60, outcome: 31 }), gateReason: "  " };
      await expect(w.reviews.decide(failing)).rejects.toMatchObject({
        code: "invalid_input",
        field: "gateReason",
      });
      expect(w.repos.store.allDecisions()).toHaveLength(0);
      expect(w.repos.store.allReadings()).toHaveLength(0);
      await w.reviews.decide({ ...failing, decision: "change", changeDetail: "Smaller cohort" });
      expect(w.repos.store.allDecisions()).toMatchObject([
        { decision: "change", checkpoint: "fail", gateReason: "" },
      ]);
    });

    it("refuses a second decision on a done review with already_done, and stores nothing more", async () => {
      const review = await claimedReview();
      await w.reviews.decide(decisionInput({ mechanismId: w.mechanism.id, reviewId: review.id }));
      const err = await domainErrorFrom(
        w.reviews.decide(
          decisionInput({
            mechanismId: w.mechanism.id,
            reviewId: review.id,
            decision: "stop",
            readings: byRole({ proxy: 1 }),
          }),
        ),
      );
      expect(err.code).toBe("already_done");
      expect(w.repos.store.allDecisions()).toHaveLength(1);
      expect(w.repos.store.allReadings()).toHaveLength(0);
      expect((await w.repos.mechanisms.findById(w.mechanism.id))?.status).toBe("active");
    });

    it("stop ends the mechanism: nextReviewAt cleared and no later sweep claims or posts", async () => {
      const review = await claimedReview();
      const recorded = await w.reviews.decide(
        decisionInput({
          mechanismId: w.mechanism.id,
          reviewId: review.id,
          decision: "stop",
          entry: "Kill it.",
        }),
      );
      await w.reviews.announce(recorded);
      const m = await w.repos.mechanisms.findById(w.mechanism.id);
      expect(m).toMatchObject({ status: "stopped", nextReviewAt: null });
      expect(m?.stoppedAt?.toISOString()).toBe("2026-11-24T10:20:00.000Z");
      expect(await w.sweepAt("2026-12-01T10:00:30Z")).toEqual({ claimed: 0, posted: 0 });
      expect(await w.sweepAt("2027-01-05T10:00:30Z")).toEqual({ claimed: 0, posted: 0 });
      expect(w.reminders()).toHaveLength(1);
      expect(w.repos.store.allReviews()).toHaveLength(1);
      // /ratchet log on a stopped mechanism is refused too.
      const err = await domainErrorFrom(w.reviews.decide(decisionInput({ mechanismId: w.mechanism.id })));
      expect(err.code).toBe("already_done");
    });

    it("after a decision the reminder says “Review held” and the entry is threaded under the one-pager", async () => {
      const review = await claimedReview();
      const reminder = w.reminders()[0];
      if (!reminder) throw new Error("no reminder posted");
      const recorded = await w.reviews.decide(
        decisionInput({
          mechanismId: w.mechanism.id,
          reviewId: review.id,
          readings: byRole({ proxy: 85, outcome: 31 }),
        }),
      );
      await w.delivery.deliver(w.clock.now());
      await w.reviews.announce(recorded);
      expect(w.notifier.message(reminder.channel, reminder.ts)?.text.text).toBe(
        "Review held: First-run nudge — Continue",
      );
      const onePager = w.notifier.postsIn(CHANNEL).find((p) => p.msg.text.text.startsWith("Mechanism:"));
      const entry = w.notifier.posts.find((p) => p.msg.text.text.startsWith("Decision:"));
      expect(entry?.threadTs).toBe(onePager?.ts);
      const decided = findBlock(entry?.msg.blocks ?? [], {
        type: "section",
        text: "*Continue* — First-run nudge",
      });
      expect(textOf(decided)).toContain("checkpoint passed");
    });

    it("keeps the decision when Slack refuses the one-pager's update, and posts its entry once Slack answers", async () => {
      const review = await claimedReview();
      const recorded = await w.reviews.decide(
        decisionInput({ mechanismId: w.mechanism.id, reviewId: review.id }),
      );
      w.notifier.failNext("post", "service_unavailable");
      await w.delivery.deliver(w.clock.now());
      w.notifier.failNext("update");
      await expect(w.reviews.announce(recorded)).resolves.toBeUndefined();
      expect(w.notifier.calls.filter((c) => c.failed).map((c) => c.method)).toEqual(["post", "update"]);
      expect(w.repos.store.allDecisions()).toHaveLength(1);
      expect((await w.repos.reviews.findById(review.id))?.status).toBe("done");
      w.clock.set("2026-11-24T10:21:00Z");
      await w.delivery.deliver(w.clock.now());
      expect(w.notifier.posts.filter((p) => p.msg.text.text.startsWith("Decision:"))).toHaveLength(1);
      expect(w.delivery.store.all().find((d) => d.kind === "decision_entry")).toMatchObject({
        key: `decision:${recorded.decision.id}`,
        status: "sent",
        attempts: 2,
      });
    });

    it("queues the entry with the decision: posted once, in the one-pager's thread, even if announce never runs", async () => {
      const recorded = await w.reviews.decide(decisionInput({ mechanismId: w.mechanism.id }));
      await w.delivery.deliver(w.clock.now());
      await w.delivery.deliver(w.clock.now());
      const onePager = w.notifier.postsIn(CHANNEL).find((p) => p.msg.text.text.startsWith("Mechanism:"));
      const entries = w.notifier.posts.filter((p) => p.msg.text.text.startsWith("Decision:"));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        channel: CHANNEL,
        threadTs: onePager?.ts,
        key: `decision:${recorded.decision.id}`,
      });
    });

    it("posts the entry at top level when the one-pager is not posted yet (its own post still queued)", async () => {
      const second = await w.mechanisms.create(w.team, mechanismInput({ title: "Second bet" }), "U0LEAD");
      await w.reviews.decide(decisionInput({ mechanismId: second.id }));
      await w.delivery.deliver(w.clock.now());
      const posted = w.notifier.postsIn(CHANNEL).slice(-2);
      expect(posted.map((p) => [p.msg.text.text, p.threadTs])).toEqual([
        ["Mechanism: Second bet", undefined],
        ["Decision: Continue — Second bet", undefined],
      ]);
    });
  });

  describe("the one-pager", () => {
    const onePagers = () =>
      w.notifier.postsIn(CHANNEL).filter((p) => p.msg.text.text.startsWith("Mechanism:"));

    it("is posted once when the mechanism is created, and its ts recorded so edits update it in place", async () => {
      expect(onePagers()).toHaveLength(1);
      const [posted] = onePagers();
      expect(await w.repos.mechanisms.findById(w.mechanism.id)).toMatchObject({
        messageChannelId: CHANNEL,
        messageTs: posted?.ts,
      });
      await w.mechanisms.update(w.mechanism.id, mechanismInput({ title: "First-run nudge v2" }), "U0LEAD");
      await w.mechanisms.publish(w.mechanism.id);
      await w.delivery.deliver(w.clock.now());
      expect(onePagers()).toHaveLength(1);
      expect(w.notifier.message(CHANNEL, posted?.ts ?? "")?.text.text).toBe("Mechanism: First-run nudge v2");
    });

    it("draws an edit made before the first post went out into that post, and posts it once", async () => {
      const m = await w.mechanisms.create(w.team, mechanismInput({ title: "Draft" }), "U0LEAD");
      await w.mechanisms.update(m.id, mechanismInput({ title: "Draft v2" }), "U0LEAD");
      await w.mechanisms.publish(m.id);
      await w.delivery.deliver(w.clock.now());
      expect(onePagers().map((p) => p.msg.text.text)).toEqual([
        "Mechanism: First-run nudge",
        "Mechanism: Draft v2",
      ]);
      expect(w.notifier.updates).toHaveLength(0);
    });
  });
});
