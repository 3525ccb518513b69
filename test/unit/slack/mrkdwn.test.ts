/**
 * The escaping primitives (src/slack/blocks/mrkdwn.ts), one row per rule. The builders' properties
 * are in escaping*.property.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  channelLink,
  clip,
  clipMd,
  esc,
  joinMd,
  link,
  literal,
  type Mrkdwn,
  md,
  mention,
  quote,
  slackDate,
} from "../../../src/slack/blocks/mrkdwn.js";
import { hostile } from "../../support/hostile.js";

const rows = <T extends { name: string }>(table: T[]) => table;

describe("esc", () => {
  it.each(
    rows([
      { name: "& becomes &amp;", input: "Q&A", out: "Q&amp;A" },
      {
        name: "< and > become entities, so <!channel> can't broadcast",
        input: "<!channel>",
        out: "&lt;!channel&gt;",
      },
      {
        name: "an entity a person typed is shown as typed, not decoded",
        input: "&lt;!here&gt;",
        out: "&amp;lt;!here&amp;gt;",
      },
      {
        name: "a link a person typed stays text",
        input: "<https://ev.il|click>",
        out: "&lt;https://ev.il|click&gt;",
      },
      { name: "formatting characters are left alone", input: "*_~`>|", out: "*_~`&gt;|" },
      { name: "a number becomes its digits", input: 3.5, out: "3.5" },
      { name: "the empty string stays empty", input: "", out: "" },
    ]),
  )("$name", ({ input, out }) => {
    expect(esc(input).text).toBe(out);
  });
});

describe("md", () => {
  it.each(
    rows<{ name: string; build: () => Mrkdwn; out: string }>([
      {
        name: "an interpolated string is escaped",
        build: () => md`*${"<!here> & co"}*`,
        out: "*&lt;!here&gt; &amp; co*",
      },
      {
        name: "an interpolated Mrkdwn is inserted as it is",
        build: () => md`${mention("U1")} said`,
        out: "<@U1> said",
      },
      { name: "a nested md is not escaped twice", build: () => md`${md`${"<"}`}`, out: "&lt;" },
      {
        name: "a number is written as digits",
        build: () => md`${42} items, ${-1.5}%`,
        out: "42 items, -1.5%",
      },
      {
        name: "the literal parts are markup",
        build: () => md`*bold* _it_\n>quote`,
        out: "*bold* _it_\n>quote",
      },
      { name: "no holes: the literal alone", build: () => md``, out: "" },
    ]),
  )("$name", ({ build, out }) => {
    expect(build().text).toBe(out);
  });
});

describe("joinMd", () => {
  it.each(
    rows([
      {
        name: "strings are escaped, Mrkdwn kept, numbers written",
        parts: ["a<b", mention("U1"), 3],
        sep: ", ",
        out: "a&lt;b, <@U1>, 3",
      },
      { name: "the separator is markup", parts: ["x", "y"], sep: "\n• ", out: "x\n• y" },
      { name: "nothing to join is empty", parts: [], sep: ", ", out: "" },
    ]),
  )("$name", ({ parts, sep, out }) => {
    expect(joinMd(parts, sep).text).toBe(out);
  });
});

describe("mention and channelLink", () => {
  it.each(
    rows([
      { name: "a user id mentions", id: "U0ALICE", out: "<@U0ALICE>" },
      { name: "an enterprise user id (W…) mentions", id: "W0GUEST", out: "<@W0GUEST>" },
      { name: "a forged id that closes the token is text", id: "U1> <!channel", out: "U1&gt; &lt;!channel" },
      { name: "a mention pasted as the id is text", id: "<@U1>", out: "&lt;@U1&gt;" },
      { name: "a label after a pipe is text", id: "U1|alice", out: "U1|alice" },
      { name: "lower case is not an id", id: "u123", out: "u123" },
      {
        name: "an id longer than 21 characters is text",
        id: `U${"A".repeat(21)}`,
        out: `U${"A".repeat(21)}`,
      },
      { name: "a trailing newline is not an id", id: "U1\n", out: "U1\n" },
      { name: "a channel id is not a user", id: "C0TEAM", out: "C0TEAM" },
    ]),
  )("mention: $name", ({ id, out }) => {
    expect(mention(id).text).toBe(out);
  });

  it.each(
    rows([
      { name: "a public channel id links", id: "C0TEAM", out: "<#C0TEAM>" },
      { name: "a private channel id links", id: "G0PRIVATE", out: "<#G0PRIVATE>" },
      { name: "a DM id links", id: "D0DM", out: "<#D0DM>" },
      { name: "a forged id that closes the token is text", id: "C1><!channel", out: "#C1&gt;&lt;!channel" },
      { name: "a channel link pasted as the id is text", id: "<#C1>", out: "#&lt;#C1&gt;" },
      { name: "a label after a pipe is text", id: "C1|general", out: "#C1|general" },
      { name: "a user id is not a channel", id: "U0ALICE", out: "#U0ALICE" },
    ]),
  )("channelLink: $name", ({ id, out }) => {
    expect(channelLink(id).text).toBe(out);
  });
});

describe("link", () => {
  it.each(
    rows([
      {
        name: "an https URL links, its & written as &amp;",
        url: "https://x.example/a?b=1&c=2",
        label: "ticket",
        out: "<https://x.example/a?b=1&amp;c=2|ticket>",
      },
      {
        name: "an http URL links",
        url: "http://x.example",
        label: "ticket",
        out: "<http://x.example|ticket>",
      },
      {
        name: "the label is escaped and its | can't end it",
        url: "https://x.example",
        label: "a|b <c>",
        out: "<https://x.example|a¦b &lt;c&gt;>",
      },
      {
        name: "a URL with | is text, so it can't carry its own label",
        url: "https://ev.il|Your invoice",
        label: "ticket",
        out: "ticket (https://ev.il|Your invoice)",
      },
      {
        name: "a URL with > is text",
        url: "https://ev.il>x",
        label: "ticket",
        out: "ticket (https://ev.il&gt;x)",
      },
      {
        name: "a URL with a space is text",
        url: "https://a b.example",
        label: "ticket",
        out: "ticket (https://a b.example)",
      },
      {
        name: "a javascript: URL is text",
        url: "javascript:alert(1)",
        label: "ticket",
        out: "ticket (javascript:alert(1))",
      },
      {
        name: "a URL without a scheme is text",
        url: "tracker.example.com/OPS-1",
        label: "ticket",
        out: "ticket (tracker.example.com/OPS-1)",
      },
      { name: "a mailto: URL is text", url: "mailto:a@b.c", label: "mail", out: "mail (mailto:a@b.c)" },
      {
        name: "a whole link token as the URL is text",
        url: "<https://ev.il|click>",
        label: "t",
        out: "t (&lt;https://ev.il|click&gt;)",
      },
      { name: "a URL the URL parser refuses is text", url: "http://[", label: "t", out: "t (http://[)" },
      {
        name: "a URL over 2,000 characters is text",
        url: `https://x.example/${"a".repeat(2000)}`,
        label: "t",
        out: `t (https://x.example/${"a".repeat(2000)})`,
      },
    ]),
  )("$name", ({ url, label, out }) => {
    expect(link(url, label).text).toBe(out);
  });
});

describe("slackDate", () => {
  const at = new Date(1_700_000_000_999);

  it.each(
    rows([
      {
        name: "seconds, format and fallback",
        format: "{date_short_pretty} {time}",
        fallback: "Tue 14 Nov, 22:13 (UTC)",
        out: "<!date^1700000000^{date_short_pretty} {time}|Tue 14 Nov, 22:13 (UTC)>",
      },
      {
        name: "the fallback is escaped, so it can't close the token or broadcast",
        format: "{date}",
        fallback: "<!channel> & co",
        out: "<!date^1700000000^{date}|&lt;!channel&gt; &amp; co>",
      },
      {
        name: "| and > are dropped from the format",
        format: "{date}|x>",
        fallback: "d",
        out: "<!date^1700000000^{date}x|d>",
      },
    ]),
  )("$name", ({ format, fallback, out }) => {
    expect(slackDate(at, format, fallback).text).toBe(out);
  });
});

describe("quote", () => {
  it.each(
    rows<{ name: string; input: string | Mrkdwn; out: string }>([
      { name: "every line is quoted", input: "a\nb", out: ">a\n>b" },
      { name: "the text is escaped", input: "<!here>", out: ">&lt;!here&gt;" },
      {
        name: "a > the person typed is an entity, the quote's own > is markup",
        input: "> not mine",
        out: ">&gt; not mine",
      },
      { name: "Mrkdwn is quoted as it is", input: mention("U1"), out: "><@U1>" },
      { name: "an empty text is an empty quote", input: "", out: ">" },
    ]),
  )("$name", ({ input, out }) => {
    expect(quote(input).text).toBe(out);
  });
});

describe("clip", () => {
  it.each(
    rows([
      { name: "a text that fits is unchanged", input: "abc", n: 3, out: "abc" },
      { name: "a longer text ends in an ellipsis within n", input: "abcd", n: 3, out: "ab…" },
      { name: "an emoji is never split: the cut falls before it", input: "a😀b", n: 2, out: "a…" },
      {
        name: "a text of emoji is cut between them, counted in UTF-16 units",
        input: "😀😀😀😀",
        n: 3,
        out: "😀…",
      },
    ]),
  )("$name", ({ input, n, out }) => {
    expect(clip(input, n)).toBe(out);
  });

  // Slack's limits count UTF-16 units: 3 emoji (6 units) don't fit in 4.
  it("stays within n UTF-16 units, as Slack counts", () => {
    expect(clip("😀😀😀", 4).length).toBeLessThanOrEqual(4);
  });
});

describe("clipMd", () => {
  const ab = md`ab ${mention("U1")} cd`; // "ab <@U1> cd"

  it.each(
    rows<{ name: string; input: Mrkdwn; n: number; out: string }>([
      { name: "a text that fits is unchanged", input: esc("abc"), n: 3, out: "abc" },
      { name: "a longer text ends in an ellipsis within n", input: literal("abcdef"), n: 4, out: "abc…" },
      ...[2, 3, 4, 5, 6].map((n) => ({
        name: `never inside &amp; (n = ${n})`,
        input: esc("a&b"),
        n,
        out: "a…",
      })),
      { name: "just after &amp; keeps it whole", input: esc("a&bcd"), n: 7, out: "a&amp;…" },
      ...[3, 4, 5].map((n) => ({ name: `never inside &lt; (n = ${n})`, input: esc("x<y"), n, out: "x…" })),
      ...[5, 6, 7, 8].map((n) => ({
        name: `never inside a <@U1> token (n = ${n})`,
        input: ab,
        n,
        out: "ab …",
      })),
      { name: "just after a <@U1> token keeps it whole", input: ab, n: 9, out: "ab <@U1>…" },
      {
        name: "never inside a link, even at an &amp; in its URL",
        input: md`see ${link("https://x.example/?a&b", "ticket")}`,
        n: 24,
        out: "see …",
      },
      { name: "never between the halves of a surrogate pair", input: esc("ab😀cd"), n: 4, out: "ab…" },
      { name: "just after a surrogate pair keeps it whole", input: esc("ab😀cd"), n: 5, out: "ab😀…" },
    ]),
  )("$name", ({ input, n, out }) => {
    const clipped = clipMd(input, n).text;
    expect(clipped).toBe(out);
    expect(clipped.length).toBeLessThanOrEqual(n);
  });

  it("for any escaped text: a prefix plus …, within n, never cutting an entity, a token or a pair", () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 400 }), (s, n) => {
        const full = md`${s} ${mention("U0ALICE")} ${link("https://x.example/?a&b", "t")} ${s}`.text;
        const clipped = clipMd(literal(full), n).text;
        expect(clipped.length).toBeLessThanOrEqual(n);
        if (clipped === full) return;
        const kept = clipped.slice(0, -1);
        expect(clipped.endsWith("…")).toBe(true);
        expect(full.startsWith(kept)).toBe(true);
        expect(kept).not.toMatch(/&[a-z]{0,3}$|<[^>]*$|[\uD800-\uDBFF]$/);
      }),
      { numRuns: 300 },
    );
  });
});
