import { createHash } from "node:crypto";
import { z } from "zod";
import { isAdmin } from "../teams/roles.js";

/**
 * A person's Home tab as data: what it shows, never how. `src/slack/blocks/home.ts` draws it; the
 * Home service loads it and decides when to publish it again.
 */

/** The Home's paged lists, in the order they are shown. */
const HOME_LISTS = ["mechanisms", "reviews", "breaches", "actionItems", "alarms", "admin"] as const;
export type HomeList = (typeof HOME_LISTS)[number];

/**
 * Items a list shows at once. Six lists of 8 rows, each with a title and a paging row, plus the
 * header, the buttons, the debrief and the rollup stay well under Slack's 100 blocks for a Home.
 */
export const HOME_PAGE = 8;
/** The furthest a list can be paged: 1,000 mechanisms are 125 pages. */
const MAX_OFFSET = 100_000;

/** How far each list is paged ("Show more"): an offset per list, kept on the HomeView row. */
const homePagingSchema = z
  .object(
    Object.fromEntries(HOME_LISTS.map((l) => [l, z.number().int().min(0).max(MAX_OFFSET).optional()])) as {
      [K in HomeList]: z.ZodOptional<z.ZodNumber>;
    },
  )
  .strict();
export type HomePaging = z.infer<typeof homePagingSchema>;

/** A "Show more" button's value: which list, and from where. */
export const homePageValueSchema = z
  .object({ list: z.enum(HOME_LISTS), offset: z.number().int().min(0).max(MAX_OFFSET) })
  .strict();

/** Stored paging, read back leniently: anything unreadable is the first page of everything. */
export function readPaging(stored: string): HomePaging {
  try {
    const parsed = homePagingSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** One page of a list, and how many there are in all. */
export interface Page<T> {
  items: T[];
  offset: number;
  total: number;
}

interface HomeTeam {
  id: string;
  name: string;
  channelId: string;
  timezone: string;
}

export interface HomeMechanism {
  id: string;
  title: string;
  nextReviewAt: Date | null;
  teamName: string;
  timezone: string;
}

export interface HomeReview {
  id: string;
  mechanismTitle: string;
  dueAt: Date;
  timezone: string;
  channelId: string | null;
}

export interface HomeBreach {
  id: string;
  mechanismTitle: string;
  guardrailName: string;
  value: number;
  unit: string;
  recordedAt: Date;
  timezone: string;
}

export interface HomeActionItem {
  id: string;
  text: string;
  /** owner-local "yyyy-MM-dd" */
  dueDate: string;
  overdue: boolean;
}

export interface HomeAlarm {
  id: string;
  kind: string;
  evidence: string;
  raisedAt: Date;
}

/** A team admin's row: a member who hasn't shared this week's debrief, or a mechanism past its gate. */
export type HomeAdminRow =
  | { type: "unshared"; userId: string }
  | { type: "past_gate"; mechanismId: string; title: string; gateReason: string };

interface HomeDebrief {
  roundId: string;
  /** local "yyyy-MM-dd" of the prompt */
  localDate: string;
  shared: boolean;
  open: boolean;
}

export interface HomeRollup {
  week: string;
  from: string;
  to: string;
  postedAt: Date;
  permalink: string | null;
}

export interface HomeData {
  userId: string;
  /** the team the team-wide sections are about; null: the person has no team yet */
  team: HomeTeam | null;
  mechanisms: Page<HomeMechanism>;
  reviews: Page<HomeReview>;
  breaches: Page<HomeBreach>;
  actionItems: Page<HomeActionItem>;
  alarms: Page<HomeAlarm>;
  /** null when the person is not one of the team's admins */
  admin: Page<HomeAdminRow> | null;
  debrief: HomeDebrief | null;
  rollup: HomeRollup | null;
}

/**
 * Whether the team-admin section shows. Issue 14's roles decide (src/teams/roles.ts); a team from
 * before roles has no admins, and then its creator sees it rather than everyone.
 */
export function isTeamAdmin(team: { admins: readonly string[]; createdBy: string }, userId: string): boolean {
  return team.admins.length === 0 ? team.createdBy === userId : isAdmin(team, userId);
}

/** What a publish would show, as a short digest: equal digests need no new publish. */
export function homeHash(data: HomeData): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex");
}

export const emptyPage = <T>(): Page<T> => ({ items: [], offset: 0, total: 0 });
