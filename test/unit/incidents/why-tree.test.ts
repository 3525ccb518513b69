import { describe, expect, it } from "vitest";
import type { Why } from "../../../src/incidents/types.js";
import {
  buildWhyTree,
  canAddWhy,
  hasKnownRootCause,
  leafWhys,
  MAX_WHY_DEPTH,
  whyDepth,
} from "../../../src/incidents/why-tree.js";
import { whyTreeText } from "../../../src/slack/blocks/incident.js";

const at = (minute: number) => new Date(Date.UTC(2024, 2, 1, 10, minute));
const why = (id: string, parentId: string | null, text: string, minute: number, rootCause = false): Why => ({
  id,
  parentId,
  text,
  rootCause,
  createdAt: at(minute),
});

// The seeds' example: one why with two causes, the first asked "why?" once more.
// Listed out of order on purpose: siblings must be ordered by createdAt, not array position.
const branching: Why[] = [
  why("alert", "root", "The pool alert fired at 90%, but exhaustion took under 60 seconds", 3),
  why("iac", "limit", "The pool config is static infrastructure-as-code, not reviewed per release", 4),
  why("root", null, "The database ran out of connections", 1),
  why("limit", "root", "The pool limit assumed last year's load", 2),
];

const EM = "\u2003\u2003";

describe("buildWhyTree", () => {
  it("nests whys under their parents and numbers them by path, siblings in the order they were asked", () => {
    const tree = buildWhyTree(branching);
    expect(tree).toHaveLength(1);
    const root = tree[0]!;
    expect(root).toMatchObject({ id: "root", label: "1", depth: 1 });
    expect(root.children.map((c) => [c.id, c.label, c.depth])).toEqual([
      ["limit", "1.1", 2],
      ["alert", "1.2", 2],
    ]);
    expect(root.children[0]!.children.map((c) => [c.id, c.label, c.depth])).toEqual([["iac", "1.1.1", 3]]);
  });

  it("numbers separate answers to the incident 1, 2, …", () => {
    const tree = buildWhyTree([why("b", null, "second", 2), why("a", null, "first", 1)]);
    expect(tree.map((n) => n.label)).toEqual(["1", "2"]);
    expect(tree.map((n) => n.id)).toEqual(["a", "b"]);
  });

  it("keeps a why whose parent is gone as a root instead of dropping it", () => {
    const tree = buildWhyTree([why("a", null, "first", 1), why("orphan", "deleted", "still said", 2)]);
    expect(tree.map((n) => n.id)).toEqual(["a", "orphan"]);
  });

  it("is empty for no whys", () => {
    expect(buildWhyTree([])).toEqual([]);
    expect(whyDepth([])).toBe(0);
    expect(leafWhys([])).toEqual([]);
    expect(whyTreeText([]).text).toBe("");
  });
});

describe("whyTreeText (the Slack rendering)", () => {
  it("renders one indented mrkdwn line per why, nested answers with ↳ and their path number", () => {
    expect(whyTreeText(buildWhyTree(branching)).text.split("\n")).toEqual([
      "*Why 1* The database ran out of connections",
      `${EM}↳ *Why 1.1* The pool limit assumed last year's load`,
      `${EM}${EM}↳ *Why 1.1.1* The pool config is static infrastructure-as-code, not reviewed per release`,
      `${EM}↳ *Why 1.2* The pool alert fired at 90%, but exhaustion took under 60 seconds`,
    ]);
  });

  it("escapes Slack control characters and flattens line breaks so user text cannot break the layout", () => {
    const out = whyTreeText(buildWhyTree([why("a", null, "a <@U1> & <!here>\nsecond line", 1)])).text;
    expect(out).toBe("*Why 1* a &lt;@U1&gt; &amp; &lt;!here&gt; second line");
  });
});

describe("root causes", () => {
  it("marks a why the team called a root cause in the Slack rendering", () => {
    const out = whyTreeText(buildWhyTree([why("a", null, "static pool config", 1, true)])).text;
    expect(out).toBe("*Why 1* static pool config 🎯 _root cause_");
  });

  it("knows the root cause when a chain ends in a marked why, and not when whys were asked below the mark", () => {
    expect(hasKnownRootCause(branching)).toBe(false);
    const marked = branching.map((w) => (w.id === "iac" ? { ...w, rootCause: true } : w));
    expect(hasKnownRootCause(marked)).toBe(true);
    const markedMiddle = branching.map((w) => (w.id === "limit" ? { ...w, rootCause: true } : w));
    expect(hasKnownRootCause(markedMiddle)).toBe(false);
    expect(hasKnownRootCause([])).toBe(false);
  });
});

describe("whyDepth and leafWhys", () => {
  it("reports the deepest branch and the deepest answer on every branch as the candidate systemic causes", () => {
    const tree = buildWhyTree(branching);
    expect(whyDepth(tree)).toBe(3);
    expect(leafWhys(tree).map((n) => n.id)).toEqual(["iac", "alert"]);
  });
});

describe("canAddWhy", () => {
  const chain = (n: number): Why[] =>
    Array.from({ length: n }, (_, i) => why(`w${i + 1}`, i === 0 ? null : `w${i}`, `why ${i + 1}`, i));

  it("allows a new answer to the incident itself", () => {
    expect(canAddWhy([], null)).toEqual({ ok: true, depth: 1 });
  });

  it("allows a branch under an existing why and says how deep it lands", () => {
    expect(canAddWhy(branching, "limit")).toEqual({ ok: true, depth: 3 });
    expect(canAddWhy(branching, "iac")).toEqual({ ok: true, depth: 4 });
  });

  it("refuses a parent that is not one of this incident's whys", () => {
    const result = canAddWhy(branching, "someone-elses-why");
    expect(result.ok).toBe(false);
  });

  it(`allows depth ${MAX_WHY_DEPTH} and refuses depth ${MAX_WHY_DEPTH + 1}`, () => {
    expect(canAddWhy(chain(MAX_WHY_DEPTH - 1), `w${MAX_WHY_DEPTH - 1}`)).toEqual({
      ok: true,
      depth: MAX_WHY_DEPTH,
    });
    const refused = canAddWhy(chain(MAX_WHY_DEPTH), `w${MAX_WHY_DEPTH}`);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toContain(`${MAX_WHY_DEPTH} whys deep`);
  });

  it("refuses rather than loops when stored whys form a cycle", () => {
    const cyclic = [why("a", "b", "a", 1), why("b", "a", "b", 2)];
    expect(canAddWhy(cyclic, "a").ok).toBe(false);
  });
});
