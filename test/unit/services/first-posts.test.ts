import { beforeEach, describe, expect, it } from "vitest";
import { DebriefService } from "../../../src/debriefs/debrief-service.js";
import { DeviationService } from "../../../src/deviations/deviation-service.js";
import type { NewIncident } from "../../../src/incidents/incident.js";
import { IncidentService } from "../../../src/incidents/incident-service.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { createLogger } from "../../../src/shared/logger.js";
import { EMPTY } from "../../../src/slack/blocks/mrkdwn.js";
import type { Team } from "../../../src/teams/team.js";
import { TeamService } from "../../../src/teams/team-service.js";
import { testAnnouncer, testDelivery } from "../../support/delivery.js";
import { InMemoryDebriefRepository } from "../../support/fakes/in-memory-debriefs.js";
import { InMemoryDeviationRepository } from "../../support/fakes/in-memory-deviations.js";
import { InMemoryIncidentRepository } from "../../support/fakes/in-memory-incidents.js";
import { createInMemoryRepositories } from "../../support/fakes/in-memory-repositories.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

// The first post of what a person saves (a card, an incident, an answer, a confirmation) is queued in
// the outbox by the same call that saves it; these run the services over in-memory fakes and a real
// Deliverer (test/e2e/person-posts.test.ts drives the same through HTTP and the fake Slack).

const log = createLogger("silent");
const CHANNEL = "C0TEAM";

async function world() {
  const clock = new ManualClock("2026-11-25T09:00:00Z"); // a Wednesday, in the team's cycle 0
  const repos = createInMemoryRepositories();
  const notifier = new RecordingNotifier({
    users: [{ id: "U0OWNER", name: "olly", tz: "Europe/London", deleted: false }],
  });
  const delivery = testDelivery({ notifier, clock });
  const teams = new TeamService({ teams: repos.teams, clock, outbox: delivery.outbox, log });
  const deviationRepo = new InMemoryDeviationRepository(repos.store);
  const deviations = new DeviationService({
    deviations: deviationRepo,
    teams: repos.teams,
    clock,
    announcer: testAnnouncer(notifier),
    outbox: delivery.outbox,
    log,
  });
  const incidentRepo = new InMemoryIncidentRepository(repos.store);
  const incidents = new IncidentService({
    incidents: incidentRepo,
    teams: repos.teams,
    clock,
    announcer: testAnnouncer(notifier),
    outbox: delivery.outbox,
    log,
  });
  const debriefRepo = new InMemoryDebriefRepository(repos.store);
  const debriefs = new DebriefService({
    debriefs: debriefRepo,
    teams: repos.teams,
    teamService: teams,
    clock,
    announcer: testAnnouncer(notifier),
    outbox: delivery.outbox,
    log,
  });
  delivery.handle({
    team_saved: teams.savedHandler,
    deviation_card: deviations.cardHandler,
    verdict: deviations.verdictHandler,
    incident_card: incidents.cardHandler,
    incident_note: incidents.noteHandler,
    debrief_answer: debriefs.answerHandler,
    debrief_settings_saved: debriefs.settingsHandler,
  });
  const { team } = await teams.setup(
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
  const deliver = () => delivery.deliver(clock.now());
  await deliver();
  const posts = (prefix: string) => notifier.posts.filter((p) => p.msg.text.text.startsWith(prefix));
  return {
    clock,
    repos,
    notifier,
    delivery,
    teams,
    team: team as Team,
    deviations,
    deviationRepo,
    incidents,
    incidentRepo,
    debriefs,
    debriefRepo,
    deliver,
    posts,
  };
}

describe("first posts through the outbox", () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    w = await world();
  });

  describe("deviations", () => {
    const input = {
      area: "API framework",
      deviation: "Try Fastify on the checkout service",
      hypothesis: "Because its router should cut p95 by 20%",
      benefit: "Better latency",
      risk: "Small migration cost",
      cycleIndex: 0,
      sensitive: false,
      approverId: null,
    };

    it("queues the card with the deviation and posts it once, whatever runs after the ack", async () => {
      const { deviation } = await w.deviations.log(w.team.id, input, "U0OWNER");
      await w.deliver();
      await w.deliver();
      expect(w.posts("Deviation logged")).toMatchObject([
        { channel: CHANNEL, key: `deviation:${deviation.id}` },
      ]);
    });

    it("queues the verdict with the outcome; the prompt DM is edited after the ack", async () => {
      const { deviation } = await w.deviations.log(w.team.id, input, "U0OWNER");
      // The cycle-end DM whose button opened the outcome modal.
      const prompt = await w.notifier.dm("U0OWNER", { text: EMPTY, blocks: [] });
      const recorded = await w.deviations.recordOutcome(
        deviation.id,
        { outcome: "p95 −18%", verdict: "promote" },
        "U0LEAD",
        prompt,
      );
      await w.deliver();
      expect(w.posts("Default changed:")).toMatchObject([
        { channel: CHANNEL, key: `verdict:${deviation.id}` },
      ]);
      expect(JSON.stringify(w.posts("Default changed:")[0]?.msg.blocks)).toContain("recorded by <@U0LEAD>");
      await w.deviations.afterOutcome(recorded);
      expect(w.notifier.message(prompt.channel, prompt.ts)?.text.text).toMatch(/^Outcome recorded/);
    });
  });

  describe("incidents", () => {
    const incident = (o: Partial<NewIncident> = {}): Omit<NewIncident, "reporterTz"> => ({
      teamId: w.team.id,
      reporterId: "U0OWNER",
      sourceLink: null,
      title: "Checkout timeouts: connection pool exhausted",
      severity: "sev2",
      impact: "3% of checkouts failed",
      description: "The database connection pool ran out during the sale.",
      startedAt: new Date("2026-11-25T07:30:00Z"),
      detectedAt: new Date("2026-11-25T07:45:00Z"),
      mitigatedAt: null,
      resolvedAt: null,
      howNoticed: "",
      howMitigated: "",
      tags: ["db"],
      ...o,
    });
    const thread = (ts: string | null | undefined) => w.notifier.posts.filter((p) => p.threadTs === ts);

    it("posts the incident once, records its ts, then asks “have we seen this before?” in its thread", async () => {
      const created = await w.incidents.create(incident());
      await w.deliver();
      await w.deliver();
      const [card] = w.posts("Incident:");
      expect(w.posts("Incident:")).toHaveLength(1);
      expect(await w.incidentRepo.findById(created.id)).toMatchObject({
        channelId: CHANNEL,
        messageTs: card?.ts,
      });
      expect(thread(card?.ts).map((p) => p.msg.text.text)).toEqual(["No similar past incidents found."]);
    });

    it("draws a change made before the incident was posted into its first post, and updates it in place after", async () => {
      const created = await w.incidents.create(incident());
      const change = await w.incidents.setLearned(created.id, "Pools need headroom for sales");
      await w.incidents.afterChange(change);
      await w.deliver();
      const [card] = w.posts("Incident:");
      expect(JSON.stringify(card?.msg.blocks)).toContain("Pools need headroom for sales");
      expect(w.notifier.updates).toHaveLength(0);
      await w.incidents.afterChange(await w.incidents.setLearned(created.id, "Load-test before sales"));
      expect(w.posts("Incident:")).toHaveLength(1);
      expect(JSON.stringify(w.notifier.message(CHANNEL, card?.ts ?? "")?.blocks)).toContain(
        "Load-test before sales",
      );
    });

    it("queues one note per set of incidents a change made similar, in the thread", async () => {
      await w.incidents.create(
        incident({
          title: "Expired certificate broke sign-in",
          tags: ["certificates"],
          startedAt: new Date("2026-06-01T10:00:00Z"),
          detectedAt: new Date("2026-06-01T10:00:00Z"),
        }),
      );
      const created = await w.incidents.create(incident());
      await w.deliver();
      await w.deliver();
      const ts = (await w.incidentRepo.findById(created.id))?.messageTs;
      await w.incidents.setTags(created.id, ["db", "certificates"]);
      await w.incidents.setTags(created.id, ["db"]);
      await w.incidents.setTags(created.id, ["db", "certificates"]);
      await w.deliver();
      const notes = thread(ts).map((p) => p.msg.text.text);
      expect(notes).toEqual(["No similar past incidents found.", "1 similar past incidents"]);
      expect(JSON.stringify(thread(ts)[1]?.msg.blocks)).toContain("Expired certificate broke sign-in");
    });
  });

  describe("debriefs", () => {
    async function postedRound() {
      const round = await w.debriefRepo.createRound(
        w.team.id,
        {
          promptAt: new Date("2026-11-27T15:00:00Z"),
          digestAt: new Date("2026-11-27T17:00:00Z"),
          nudgeAt: null,
          localDate: "2026-11-27",
          week: "2026-W48",
        },
        "pending",
        w.clock.now(),
      );
      if (!round) throw new Error("no round");
      await w.debriefRepo.markPosted(round.id, CHANNEL, "1700000000.999999");
      return round;
    }
    const answer = { shipped: "Shipped the pool fix", input: "", blockers: "" };
    const replies = () => w.notifier.posts.filter((p) => p.threadTs === "1700000000.999999");

    it("replies in the prompt's thread once, records the reply's ts, and edits it in place on resubmit", async () => {
      const round = await postedRound();
      const first = await w.debriefs.saveAnswer(round.id, "U0OWNER", answer);
      await w.debriefs.publishAnswer(first);
      await w.deliver();
      await w.deliver();
      expect(replies()).toMatchObject([{ key: `debrief-answer:${first.answer.id}` }]);
      const stored = await w.debriefRepo.findAnswer(round.id, "U0OWNER");
      expect(stored?.threadTs).toBe(replies()[0]?.ts);
      const again = await w.debriefs.saveAnswer(round.id, "U0OWNER", { ...answer, blockers: "Flaky CI" });
      await w.debriefs.publishAnswer(again);
      await w.deliver();
      expect(replies()).toHaveLength(1);
      expect(JSON.stringify(w.notifier.message(CHANNEL, stored?.threadTs ?? "")?.blocks)).toContain(
        "Flaky CI",
      );
    });

    it("an answer edited before its reply went out is drawn into that one reply", async () => {
      const round = await postedRound();
      await w.debriefs.saveAnswer(round.id, "U0OWNER", answer);
      await w.debriefs.publishAnswer(
        await w.debriefs.saveAnswer(round.id, "U0OWNER", { ...answer, shipped: "Shipped the pool fix, v2" }),
      );
      await w.deliver();
      expect(replies()).toHaveLength(1);
      expect(JSON.stringify(replies()[0]?.msg.blocks)).toContain("pool fix, v2");
    });

    it("tells the channel about new settings once per submission", async () => {
      const settings = {
        debriefEnabled: true,
        debriefWeekday: 4,
        debriefTime: "15:00",
        debriefDigestTime: "17:00",
        debriefNudge: false,
      };
      await w.debriefs.updateSettings(w.team.id, settings, { userId: "U0OWNER", submission: "view:V9:h" });
      await w.debriefs.updateSettings(w.team.id, settings, { userId: "U0OWNER", submission: "view:V9:h" });
      await w.deliver();
      const said = w.notifier.postsIn(CHANNEL).filter((p) => p.msg.text.text.includes("end-of-week debrief"));
      expect(said).toHaveLength(1);
      expect(said[0]?.msg.text.text).toContain("<@U0OWNER> updated *Checkout squad*");
    });
  });
});
