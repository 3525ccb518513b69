import type { ContributingFactor, IncidentRecord } from "./types.js";

/**
 * "Have we seen this before?" Antipattern 4 (documentation as a graveyard) is fought by checking every
 * new COE against past ones, so this score has to be explainable in a sentence. It adds three parts,
 * each between 0 and 1, and every part that adds to the score also adds a reason:
 *
 *   score = 0.5 × tags + 0.2 × factor + 0.3 × wording
 *
 * - tags: shared tags are the strongest signal because people chose them to name a failure mode
 *   (#config, #auth-failure). Each shared tag counts half, so one shared tag is 0.25 of the score and
 *   two or more count fully (0.5).
 * - factor: the best-matching pair of contributing factors, by Dice overlap of their words (2·shared ÷
 *   total), halved when the two are in different categories. Pairs below 0.25 count as nothing.
 * - wording: TF-IDF cosine of title + description + impact, with IDF over the target and the history,
 *   so words every incident uses ("service", "users") weigh little and rare shared words weigh a lot.
 *
 * An incident must reach MIN_SIMILARITY to be listed: one shared tag is enough on its own; without one,
 * it takes clearly similar wording (cosine ≥ 0.67) or similar wording plus a similar factor.
 */
const SIMILARITY_WEIGHTS = { tags: 0.5, factor: 0.2, wording: 0.3 } as const;
export const MIN_SIMILARITY = 0.2;
const FACTOR_PAIR_MIN = 0.25;
const DEFAULT_LIMIT = 5;
const WORDING_REASON_TERMS = 5;

export type SimilarityMatch = { incident: IncidentRecord; score: number; reasons: string[] };

export type ActionStatus = { total: number; done: number; open: number; notDoing: number; overdue: number };

export type SimilarIncident = SimilarityMatch & { actionStatus: ActionStatus };

// Small on purpose: words that say nothing about a failure mode. Contractions are split at the apostrophe.
const STOPWORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from into onto as is are was were be been being " +
    "it its this that these those we our us they their them he she his her you your not no nor so than " +
    "then too very can could would should will did do does had has have after before during while when " +
    "which who whom what why how all any some more most other over under up down out about again also " +
    "just only because there here per via due etc didn doesn wasn isn don won aren couldn shouldn wouldn"
  ).split(" "),
);

const VOWEL = /[aeiouy]/;

// "stopped" → "stop" but "called" → "call": doubled consonants other than l, s, z come from the suffix.
const undouble = (s: string): string => {
  const last = s.at(-1) ?? "";
  return s.length > 3 && last === s.at(-2) && !"aeiouylsz".includes(last) ? s.slice(0, -1) : s;
};

/**
 * Light stemming, applied the same way on both sides of every comparison: plurals, -ing and -ed, then a
 * final -e, so "configure", "configured" and "configuring" meet at "configur". Not a linguist's stemmer;
 * it only has to make obvious variants agree.
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let s = word;
  if (s.endsWith("ies") && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith("ing") && s.length >= 6 && VOWEL.test(s.slice(0, -3))) s = undouble(s.slice(0, -3));
  else if (s.endsWith("ed") && !s.endsWith("eed") && s.length >= 5 && VOWEL.test(s.slice(0, -2))) {
    s = undouble(s.slice(0, -2));
  }
  if (s.endsWith("e") && s.length > 3) s = s.slice(0, -1);
  return s;
}

type Token = { stem: string; word: string };

/** Lowercased words minus stopwords and bare numbers (times and counts say nothing about cause). */
export function tokenise(text: string): Token[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !STOPWORDS.has(w) && !/^\d+$/.test(w))
    .map((word) => ({ stem: stem(word), word }));
}

/** "#Config Management" and "config-management" are the same tag. */
export function normaliseTag(tag: string): string {
  return tag.trim().replace(/^#+/, "").trim().toLowerCase().replace(/\s+/g, "-");
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

const wordingOf = (incident: IncidentRecord): Token[] =>
  tokenise(`${incident.title}\n${incident.description}\n${incident.impact}`);

const termCounts = (tokens: readonly Token[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t.stem, (counts.get(t.stem) ?? 0) + 1);
  return counts;
};

function tagPart(target: IncidentRecord, other: IncidentRecord): { value: number; shared: string[] } {
  const theirs = new Set(other.tags.map(normaliseTag));
  const shared = [...new Set(target.tags.map(normaliseTag))].filter((t) => t !== "" && theirs.has(t)).sort();
  return { value: Math.min(shared.length, 2) / 2, shared };
}

const dice = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  if (a.size + b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared += 1;
  return (2 * shared) / (a.size + b.size);
};

function factorPart(
  target: IncidentRecord,
  other: IncidentRecord,
): { value: number; pair: [ContributingFactor, ContributingFactor] | null } {
  const stems = (f: ContributingFactor) => new Set(tokenise(f.text).map((t) => t.stem));
  const theirs = other.factors.map((f) => ({ f, s: stems(f) }));
  let best: { value: number; pair: [ContributingFactor, ContributingFactor] | null } = {
    value: 0,
    pair: null,
  };
  for (const mine of target.factors) {
    const s = stems(mine);
    for (const their of theirs) {
      const value = dice(s, their.s) * (mine.category === their.f.category ? 1 : 0.5);
      if (value >= FACTOR_PAIR_MIN && value > best.value) best = { value, pair: [mine, their.f] };
    }
  }
  return best;
}

type Idf = (stem: string) => number;

/** Smoothed IDF so a word in every document still weighs a little and weights are never negative. */
function idfOver(docs: ReadonlyArray<ReadonlyMap<string, number>>): Idf {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length;
  return (term) => Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1;
}

function wordingPart(
  mine: ReadonlyMap<string, number>,
  theirs: ReadonlyMap<string, number>,
  idf: Idf,
): { value: number; terms: string[] } {
  const norm = (doc: ReadonlyMap<string, number>) =>
    Math.sqrt([...doc].reduce((sum, [term, tf]) => sum + (tf * idf(term)) ** 2, 0));
  const contributions: { term: string; weight: number }[] = [];
  for (const [term, tf] of mine) {
    const theirTf = theirs.get(term);
    if (theirTf !== undefined) contributions.push({ term, weight: tf * theirTf * idf(term) ** 2 });
  }
  const denominator = norm(mine) * norm(theirs);
  if (contributions.length === 0 || denominator === 0) return { value: 0, terms: [] };
  const dot = contributions.reduce((sum, c) => sum + c.weight, 0);
  const terms = contributions
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .map((c) => c.term);
  return { value: dot / denominator, terms };
}

/**
 * Every incident in `history` (other than the target) that reaches MIN_SIMILARITY, best first; ties go
 * to the more recent incident. This is also the definition of "repeat incident" used by the loop metrics.
 */
export function similarityMatches(
  target: IncidentRecord,
  history: readonly IncidentRecord[],
): SimilarityMatch[] {
  const others = history.filter((h) => h.id !== target.id);
  const targetTokens = wordingOf(target);
  const targetDoc = termCounts(targetTokens);
  const docs = others.map((h) => termCounts(wordingOf(h)));
  const idf = idfOver([targetDoc, ...docs]);
  // Reasons show the target's own words, not stems, so they read naturally.
  const surface = new Map<string, string>();
  for (const t of targetTokens) if (!surface.has(t.stem)) surface.set(t.stem, t.word);

  const matches: SimilarityMatch[] = [];
  others.forEach((incident, i) => {
    const tags = tagPart(target, incident);
    const factor = factorPart(target, incident);
    const wording = wordingPart(targetDoc, docs[i] ?? new Map(), idf);
    const score = round(
      SIMILARITY_WEIGHTS.tags * tags.value +
        SIMILARITY_WEIGHTS.factor * factor.value +
        SIMILARITY_WEIGHTS.wording * wording.value,
    );
    if (score < MIN_SIMILARITY) return;
    const reasons: string[] = [];
    if (tags.shared.length > 0) reasons.push(`shared tags: ${tags.shared.map((t) => `#${t}`).join(", ")}`);
    if (factor.pair) reasons.push(`similar factor: “${factor.pair[0].text}” ~ “${factor.pair[1].text}”`);
    if (wording.terms.length > 0) {
      const words = wording.terms.slice(0, WORDING_REASON_TERMS).map((t) => surface.get(t) ?? t);
      reasons.push(`similar wording: ${words.join(", ")}`);
    }
    matches.push({ incident, score, reasons });
  });
  return matches.sort(
    (a, b) =>
      b.score - a.score ||
      b.incident.startedAt.getTime() - a.incident.startedAt.getTime() ||
      a.incident.id.localeCompare(b.incident.id),
  );
}

/**
 * How a past incident's action items stand, so a reader sees at once whether the last fix landed.
 * `today` is yyyy-MM-dd in the team's zone; an open item due before it is overdue.
 */
export function actionStatus(incident: IncidentRecord, today: string): ActionStatus {
  const status: ActionStatus = { total: 0, done: 0, open: 0, notDoing: 0, overdue: 0 };
  for (const { actionItem: item } of incident.findings) {
    if (!item) continue;
    status.total += 1;
    if (item.status === "done") status.done += 1;
    else if (item.status === "not_doing") status.notDoing += 1;
    else {
      status.open += 1;
      if (item.dueDate !== null && item.dueDate < today) status.overdue += 1;
    }
  }
  return status;
}

/** Past incidents most like `target`, best first, with why they matched and how their fixes stand. */
export function findSimilarIncidents(
  target: IncidentRecord,
  history: readonly IncidentRecord[],
  opts: { limit?: number; today: string },
): SimilarIncident[] {
  return similarityMatches(target, history)
    .slice(0, opts.limit ?? DEFAULT_LIMIT)
    .map((match) => ({ ...match, actionStatus: actionStatus(match.incident, opts.today) }));
}
