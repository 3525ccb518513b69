import type { DecisionKind, ReadingValues } from "../mechanisms/mechanism.js";

/** skipped: "Skip this one" moved the occurrence; never counted as missed or unanswered. */
export type ReviewStatus = "claimed" | "reminded" | "done" | "missed" | "unanswered" | "skipped";

/** One review occurrence of one mechanism. */
export interface Review {
  id: string;
  mechanismId: string;
  dueAt: Date;
  /** when the occurrence was claimed (the scheduler's clock) */
  createdAt: Date;
  status: ReviewStatus;
  late: boolean;
  messageChannelId: string | null;
  messageTs: string | null;
}

export interface DecisionInput {
  mechanismId: string;
  reviewId: string | null;
  decision: DecisionKind;
  entry: string;
  whatChanged: string;
  whatDidnt: string;
  why: string;
  changeDetail: string;
  /** required when continuing although the checkpoint fails on these readings */
  gateReason: string;
  /** by signal id */
  readings: ReadingValues;
  /** by guardrail id; absent when the form asked none */
  guardrailReadings?: ReadingValues;
  decidedBy: string;
}
