import type { Why } from "./types.js";

/**
 * The five whys branch: one "why?" can have several answers, each asked "why?" again. Branches are the
 * point (beyond-the-post-mortem: a linear chain drills down to one "human error"), so the tree keeps
 * every answer and numbers it by its path: 1, 1.1, 1.2, 1.1.1.
 */
export type WhyNode = {
  id: string;
  text: string;
  createdAt: Date;
  /** 1 for an answer to the incident itself. */
  depth: number;
  /** Path number, e.g. "1.2.1". */
  label: string;
  /** The team marked this answer as a root cause. */
  rootCause: boolean;
  children: WhyNode[];
};

/** Deep enough for a real chain of causes, shallow enough that a thread stays readable. */
export const MAX_WHY_DEPTH = 7;

const byCreated = (a: Why, b: Why): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

/**
 * Nests the incident's whys; siblings are ordered by when they were asked. A why whose parent is missing
 * (deleted, or from another incident) becomes a root rather than vanishing, so nothing said is lost.
 * Whys caught in a parent cycle are unreachable and left out; `canAddWhy` keeps cycles from being made.
 */
export function buildWhyTree(whys: readonly Why[]): WhyNode[] {
  const ids = new Set(whys.map((w) => w.id));
  const childrenOf = new Map<string | null, Why[]>();
  for (const why of whys) {
    const key = why.parentId !== null && ids.has(why.parentId) ? why.parentId : null;
    const list = childrenOf.get(key) ?? [];
    list.push(why);
    childrenOf.set(key, list);
  }
  const build = (parentId: string | null, parentLabel: string, depth: number): WhyNode[] =>
    [...(childrenOf.get(parentId) ?? [])].sort(byCreated).map((why, i) => {
      const label = parentLabel === "" ? `${i + 1}` : `${parentLabel}.${i + 1}`;
      return {
        id: why.id,
        text: why.text,
        createdAt: why.createdAt,
        depth,
        label,
        rootCause: why.rootCause,
        children: build(why.id, label, depth + 1),
      };
    });
  return build(null, "", 1);
}

/** Depth-first, parents before children, siblings in order. */
export function flattenWhyTree(tree: readonly WhyNode[]): WhyNode[] {
  return tree.flatMap((node) => [node, ...flattenWhyTree(node.children)]);
}

/** How many levels of "why?" were asked on the deepest branch; 0 when none were. */
export function whyDepth(tree: readonly WhyNode[]): number {
  return tree.reduce((max, node) => Math.max(max, node.depth, whyDepth(node.children)), 0);
}

/**
 * The deepest answer on each branch. These are the candidate systemic causes: the places where the
 * team stopped asking, and so where findings and action items should attach.
 */
export function leafWhys(tree: readonly WhyNode[]): WhyNode[] {
  return flattenWhyTree(tree).filter((node) => node.children.length === 0);
}

/**
 * A COE has a known root cause when at least one of its why-chains ends in an answer the team marked
 * as a root cause: a marked why with nothing asked under it. A mark with further whys below it was not
 * where the chain ended, so it does not count (the team kept digging and found something deeper).
 */
export function hasKnownRootCause(whys: readonly Why[]): boolean {
  return leafWhys(buildWhyTree(whys)).some((node) => node.rootCause);
}

export type CanAddWhy = { ok: true; depth: number } | { ok: false; reason: string };

/**
 * Whether a new why may hang under `parentId` (null: a new answer to the incident itself). `whys` are
 * the incident's own whys, so "the parent exists here" is also "the parent belongs to this incident".
 */
export function canAddWhy(whys: readonly Why[], parentId: string | null): CanAddWhy {
  if (parentId === null) return { ok: true, depth: 1 };
  const byId = new Map(whys.map((w) => [w.id, w]));
  if (!byId.has(parentId)) return { ok: false, reason: "That why isn't part of this incident any more." };
  // Walk up to the root; a visited set guards against corrupt data looping forever.
  let depth = 1;
  const seen = new Set<string>();
  for (let cur = byId.get(parentId); cur; cur = cur.parentId === null ? undefined : byId.get(cur.parentId)) {
    if (seen.has(cur.id)) return { ok: false, reason: "The whys above this one loop back on themselves." };
    seen.add(cur.id);
    depth += 1;
  }
  if (depth > MAX_WHY_DEPTH) {
    return {
      ok: false,
      reason: `This branch is already ${MAX_WHY_DEPTH} whys deep. Turn the last answer into a finding, or branch higher up.`,
    };
  }
  return { ok: true, depth };
}
