import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { type Harness, type LogLine, startHarness } from "../support/harness.js";
import { FORM, formPayload, postSigned } from "../support/raw-request.js";
import { describeDb } from "../support/test-db.js";

const REFUSED = "refused a Slack request";
const refusals = (h: Harness): LogLine[] => h.logs.filter((l) => l.msg === REFUSED);

/** `/ratchet help` as Slack posts it, with the fake's own trigger and response URL (so each is unique). */
const helpCommand = (h: Harness) =>
  new URLSearchParams({
    command: "/ratchet",
    text: "help",
    team_id: h.fake.teamId,
    channel_id: "C0TEAM",
    user_id: "U0TESTER",
    trigger_id: h.fake.newTriggerId(),
    response_url: h.fake.newResponseUrl({ channelId: "C0TEAM", userId: "U0TESTER" }),
  }).toString();

describeDb("requests refused before Bolt sees them", () => {
  let h: Harness;
  // The guard's own clock: the real time now (Bolt checks the same timestamps against it), moved by hand.
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(new Date());
    h = await startHarness({ requestClock: clock });
  });
  afterEach(async () => h?.close());

  const nowSec = () => Math.floor(clock.now().getTime() / 1000);

  it.each([
    ["JSON null", "null", "application/json"],
    ["a JSON array", "[]", "application/json"],
    ["a JSON string", '"event_callback"', "application/json"],
    ["a JSON number", "42", "application/json"],
    ["JSON that does not parse", "{", "application/json"],
    ["an empty body", "", "application/json"],
    ["a form whose payload is null", formPayload("null"), FORM],
    ["a form whose payload is an array", formPayload("[1]"), FORM],
    ["a form whose payload does not parse", formPayload("{nope"), FORM],
    ["a form with two payloads", `${formPayload("{}")}&${formPayload("{}")}`, FORM],
    ["a form that is neither a command nor a payload", "text=help&user_id=U0TESTER", FORM],
    ["an object Slack never sends", "{}", "application/json"],
    ["an event that is null", '{"type":"event_callback","event":null}', "application/json"],
    [
      "actions that are not a list",
      '{"type":"block_actions","user":{"id":"U1"},"actions":"x"}',
      "application/json",
    ],
    ["a view submission without a view", '{"type":"view_submission","user":{"id":"U1"}}', "application/json"],
    [
      "a click whose value holds U+0000 (PostgreSQL can't store it; Slack never sends it)",
      '{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"x","value":"a\\u0000b"}]}',
      "application/json",
    ],
    ["an array nested 100,000 deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, "application/json"],
    [
      "an object nested 100,000 deep",
      `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`,
      "application/json",
    ],
    [
      "a click by a user id that is not a Slack id",
      '{"type":"block_actions","user":{"id":"<!channel>"},"actions":[{"action_id":"x"}]}',
      "application/json",
    ],
  ])(
    "answers 400 to a signed body that is %s, logs one line, and keeps serving",
    async (_name, body, type) => {
      const res = await postSigned(h.appUrl, body, { contentType: type, ts: nowSec() });
      expect(res.status).toBe(400);
      expect(res.ms).toBeLessThan(1000);
      const lines = refusals(h);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, status: 400 });
      expect(lines[0]?.err).toBeUndefined();
      expect(JSON.stringify(h.logs)).not.toContain("    at ");
      // Still serving: a real command right after is answered.
      const next = await postSigned(h.appUrl, helpCommand(h), { contentType: FORM, ts: nowSec() });
      expect(next.status).toBe(200);
    },
  );

  it("reads a well-formed request with a huge list in it without tripping over its size", async () => {
    const body = `{"type":"block_actions","user":{"id":"U0TESTER"},"actions":[{"action_id":"x"}],"extra":[${"0,".repeat(1_000_000)}0]}`;
    const res = await postSigned(h.appUrl, body, { ts: nowSec() });
    expect(res.status).toBe(200);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("refuses a body over Bolt's 4 MB limit with 413, in one line", async () => {
    const body = JSON.stringify({ type: "block_actions", padding: "x".repeat(4 * 1024 * 1024) });
    const res = await postSigned(h.appUrl, body, { ts: nowSec() });
    expect(res.status).toBe(413);
    expect(refusals(h)).toMatchObject([{ status: 413 }]);
  });

  it("refuses a request stamped more than five minutes in the future (Bolt only checks the past)", async () => {
    const ts = nowSec() + 5 * 60 + 30;
    const res = await postSigned(h.appUrl, helpCommand(h), { contentType: FORM, ts });
    expect(res.status).toBe(401);
    expect(refusals(h)).toMatchObject([{ status: 401 }]);
  });

  it("accepts a request a little ahead of our clock (Slack's clock may run fast)", async () => {
    const res = await postSigned(h.appUrl, helpCommand(h), { contentType: FORM, ts: nowSec() + 60 });
    expect(res.status).toBe(200);
  });

  it("refuses the exact same signed request sent twice within the window", async () => {
    const body = helpCommand(h);
    const ts = nowSec();
    const first = await postSigned(h.appUrl, body, { contentType: FORM, ts });
    expect(first.status).toBe(200);
    const again = await postSigned(h.appUrl, body, { contentType: FORM, ts });
    expect(again.status).toBe(401);
    expect(refusals(h)).toMatchObject([{ status: 401, reason: expect.stringContaining("replay") }]);
    // The same body signed at another second is a new request (Slack signs each retry afresh).
    const resent = await postSigned(h.appUrl, body, { contentType: FORM, ts: ts - 1 });
    expect(resent.status).toBe(200);
  });

  it("refuses a replay after the window as stale, on the guard's clock", async () => {
    const body = helpCommand(h);
    const ts = nowSec();
    expect((await postSigned(h.appUrl, body, { contentType: FORM, ts })).status).toBe(200);
    clock.advance(6 * 60 * 1000);
    expect((await postSigned(h.appUrl, body, { contentType: FORM, ts })).status).toBe(401);
  });

  it("refuses a bad signature with 401 and one line, without reading the body", async () => {
    const res = await postSigned(h.appUrl, "null", { ts: nowSec(), signature: "v0=deadbeef" });
    expect(res.status).toBe(401);
    expect(refusals(h)).toMatchObject([{ status: 401 }]);
  });

  it("still answers Slack's unsigned ssl_check and the signed url_verification", async () => {
    const ssl = await fetch(h.appUrl, {
      method: "POST",
      headers: { "content-type": FORM },
      body: "ssl_check=1&token=x",
    });
    expect(ssl.status).toBe(200);
    const challenge = await postSigned(
      h.appUrl,
      JSON.stringify({ token: "x", challenge: "c-123", type: "url_verification" }),
      { ts: nowSec() },
    );
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.text)).toEqual({ challenge: "c-123" });
  });
});
