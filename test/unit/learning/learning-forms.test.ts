import { describe, expect, it } from "vitest";
import { LEARN_BLOCK } from "../../../src/slack/ids.js";
import { parseLinksForm, parseScheduleForm } from "../../../src/slack/parsers/learning-forms.js";

const text = (value: string) => ({ type: "plain_text_input", value });
const state = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { [k]: v }]));

const valid = {
  [LEARN_BLOCK.topic]: text("Retries"),
  [LEARN_BLOCK.speaker]: { type: "users_select", selected_user: "U0SAM" },
  [LEARN_BLOCK.date]: { type: "datepicker", selected_date: "2027-03-14" },
  [LEARN_BLOCK.time]: { type: "timepicker", selected_time: "10:00" },
  [LEARN_BLOCK.duration]: { type: "static_select", selected_option: { value: "40" } },
  [LEARN_BLOCK.channels]: { type: "multi_conversations_select", selected_conversations: ["C0A", "C0B"] },
};
const ctx = { now: new Date("2027-03-01T15:00:00Z"), tz: "America/New_York" };

describe("the schedule form", () => {
  it("reads a valid session with its channels", () => {
    expect(parseScheduleForm(state(valid), ctx)).toEqual({
      ok: true,
      value: {
        topic: "Retries",
        speakerId: "U0SAM",
        date: "2027-03-14",
        time: "10:00",
        durationMinutes: 40,
        channels: ["C0A", "C0B"],
      },
    });
  });

  it("refuses a duration outside 30–45 minutes and a topic that runs too long", () => {
    const r = parseScheduleForm(
      state({
        ...valid,
        [LEARN_BLOCK.duration]: { type: "static_select", selected_option: { value: "90" } },
        [LEARN_BLOCK.topic]: text("x".repeat(151)),
      }),
      ctx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[LEARN_BLOCK.duration]).toMatch(/30, 35, 40 or 45/);
    expect(r.errors[LEARN_BLOCK.topic]).toMatch(/150/);
  });

  it("judges the future in the team's zone", () => {
    // 10:00 on 1 Mar is 15:00Z in New York: the clock's very instant.
    const at = (time: string) =>
      parseScheduleForm(
        state({
          ...valid,
          [LEARN_BLOCK.date]: { selected_date: "2027-03-01" },
          [LEARN_BLOCK.time]: { selected_time: time },
        }),
        ctx,
      ).ok;
    expect(at("10:00")).toBe(false);
    expect(at("10:01")).toBe(true);
  });
});

describe("the links form", () => {
  it("takes one or both http(s) links and refuses anything else", () => {
    expect(parseLinksForm(state({ [LEARN_BLOCK.slides]: text("https://s.example/x") }))).toEqual({
      ok: true,
      value: { recordingUrl: "", slidesUrl: "https://s.example/x" },
    });
    const none = parseLinksForm(state({}));
    expect(none.ok).toBe(false);
    for (const bad of ["javascript:alert(1)", "https://ev.il|click", "see https://x.example"]) {
      const r = parseLinksForm(state({ [LEARN_BLOCK.recording]: text(bad) }));
      expect(r.ok, bad).toBe(false);
    }
  });
});
