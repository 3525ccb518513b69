import { describe, expect, it } from "vitest";
import type { StoredIncident } from "../../../src/incidents/incident.js";
import { ChannelUnreachable } from "../../../src/notices.js";
import { testAnnouncer } from "../../support/delivery.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";
import { makeIncident } from "../incidents/fixtures.js";

const incident: StoredIncident = {
  ...makeIncident({ id: "inc1", title: "Checkout down: 502s!", startedAt: new Date("2026-03-01T23:30:00Z") }),
  teamId: "team1",
  reporterId: "U0REPORTER",
  channelId: "C0INC",
  messageTs: "1700000000.000001",
};
const exported = {
  incident,
  similar: [],
  now: new Date("2026-03-02T09:00:00Z"),
  timezone: "Asia/Tokyo",
  names: {},
};

describe("SlackAnnouncer", () => {
  it("sends the COE export as a Markdown file in the thread, named by title and the team's local start date", async () => {
    const notifier = new RecordingNotifier();
    await testAnnouncer(notifier).send(
      { channel: "C0INC", threadTs: "1700000000.000001" },
      "incident_export",
      exported,
    );
    expect(notifier.uploads).toHaveLength(1);
    const [up] = notifier.uploads;
    expect(up).toMatchObject({
      channel: "C0INC",
      threadTs: "1700000000.000001",
      filename: "coe-checkout-down-502s-2026-03-02.md",
      title: "COE: Checkout down: 502s!",
    });
    expect(up?.bytes.toString("utf8")).toMatch(/^# COE: Checkout down: 502s!/);
  });

  it.each(["not_in_channel", "channel_not_found"])(
    "turns Slack's %s into ChannelUnreachable, so the service can ask for an invite",
    async (code) => {
      const notifier = new RecordingNotifier();
      notifier.failNext("uploadFile", code);
      const sent = testAnnouncer(notifier).send({ channel: "C0GONE" }, "incident_export", exported);
      await expect(sent).rejects.toBeInstanceOf(ChannelUnreachable);
      await expect(sent).rejects.toMatchObject({ channel: "C0GONE", reason: code });
    },
  );

  it("passes any other Slack failure through unchanged", async () => {
    const notifier = new RecordingNotifier();
    notifier.failNext("uploadFile", "ratelimited");
    await expect(
      testAnnouncer(notifier).send({ channel: "C0INC" }, "incident_export", exported),
    ).rejects.not.toBeInstanceOf(ChannelUnreachable);
  });

  it("edits a posted message with the notice's drawing", async () => {
    const notifier = new RecordingNotifier();
    notifier.seedMessage("C0INC", "1700000000.000001");
    await testAnnouncer(notifier).edit({ channel: "C0INC", ts: "1700000000.000001" }, "incident_card", {
      incident,
    });
    expect(notifier.message("C0INC", "1700000000.000001")?.text.text).toContain("Checkout down: 502s!");
  });

  it("refuses to edit a notice that is drawn as a file", async () => {
    const notifier = new RecordingNotifier();
    const edit = testAnnouncer(notifier).edit({ channel: "C0INC", ts: "1" }, "incident_export", exported);
    await expect(edit).rejects.toThrow(/drawn as a file/);
    expect(notifier.calls).toEqual([]);
  });
});
