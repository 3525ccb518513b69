import { WebAPIPlatformError } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { esc } from "../../../src/slack/blocks/mrkdwn.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

const msg = (text: string) => ({ text: esc(text), blocks: [] });

// The fake notifier must fail the way SlackNotifier does, or service tests of Slack failures prove nothing.
describe("RecordingNotifier", () => {
  it("hands out strictly increasing ts values and records posts and DMs", async () => {
    const n = new RecordingNotifier();
    const a = await n.post("C1", msg("one"));
    const b = await n.post("C1", msg("reply"), { threadTs: a.ts });
    const d = await n.dm("U1", msg("hi"));
    expect(a.ts < b.ts && b.ts < d.ts).toBe(true);
    expect(n.postsIn("C1")).toMatchObject([{ ts: a.ts }, { ts: b.ts, threadTs: a.ts }]);
    expect(n.dms).toMatchObject([{ user: "U1", channel: "DU1", ts: d.ts }]);
  });

  it("fails the next call like the WebClient (WebAPIPlatformError) and then works again", async () => {
    const n = new RecordingNotifier();
    n.failNext("post", "channel_not_found");
    await expect(n.dm("U1", msg("unaffected"))).resolves.toBeDefined();
    const err = await n.post("C1", msg("x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIPlatformError);
    expect(err).toMatchObject({
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "channel_not_found" },
    });
    await expect(n.post("C1", msg("x"))).resolves.toBeDefined();
    expect(n.posts).toHaveLength(1);
    expect(n.calls.map((c) => [c.method, c.failed])).toEqual([
      ["dm", false],
      ["post", true],
      ["post", false],
    ]);
  });

  it("updates only messages that exist, and shows their latest content", async () => {
    const n = new RecordingNotifier();
    const { ts } = await n.post("C1", msg("before"));
    await n.update("C1", ts, msg("after"));
    expect(n.message("C1", ts)?.text.text).toBe("after");
    await expect(n.update("C1", "1.999999", msg("x"))).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
    n.seedMessage("C1", "1.999999");
    await expect(n.update("C1", "1.999999", msg("x"))).resolves.toBeUndefined();
  });

  it("answers userInfo from seeded users and null for anyone else", async () => {
    const n = new RecordingNotifier({
      users: [{ id: "U1", name: "Olly", tz: "Europe/London", deleted: false }],
    });
    n.seedUser("U2", { id: "U2", name: "Gone", tz: null, deleted: true });
    expect(await n.userInfo("U1")).toMatchObject({ name: "Olly" });
    expect(await n.userInfo("U2")).toMatchObject({ deleted: true });
    expect(await n.userInfo("U3")).toBeNull();
  });

  it("answers permalink null instead of throwing, as SlackNotifier does", async () => {
    const n = new RecordingNotifier();
    const { ts } = await n.post("C1", msg("x"));
    expect(await n.permalink("C1", ts)).toMatch(/^https:\/\/.+\/archives\/C1\/p\d+$/);
    n.failNext("permalink");
    expect(await n.permalink("C1", ts)).toBeNull();
    expect(await n.permalink("C1", "1.999999")).toBeNull();
  });
});
