import type { SignalKind } from "../slack/ids.js";

export type { SignalKind };
export type MechanismStatus = "active" | "stopped";
export type DecisionKind = "continue" | "change" | "stop";

export interface SignalSpec {
  kind: SignalKind;
  name: string;
  baseline: number;
  target: number;
  unit: string;
}

export interface Signal extends SignalSpec {
  id: string;
}

/** A team's bet, written as a one-pager (Appendix D of the playbook). */
export interface Mechanism {
  id: string;
  teamId: string;
  title: string;
  aim: string;
  aimForWhom: string;
  aimFrom: number;
  aimTo: number;
  aimUnit: string;
  /** local date yyyy-MM-dd */
  aimBy: string;
  statement: string;
  checkpointRule: string;
  guardrail: string;
  stopOwnerId: string | null;
  rollbackPath: string;
  ownerId: string | null;
  cadenceWeeks: 1 | 2;
  status: MechanismStatus;
  nextReviewAt: Date | null;
  messageChannelId: string | null;
  messageTs: string | null;
  createdBy: string;
  createdAt: Date;
  stoppedAt: Date | null;
  signals: Signal[];
}

/** What the mechanism modal produces once validated. */
export interface MechanismInput {
  title: string;
  aim: string;
  aimForWhom: string;
  aimFrom: number;
  aimTo: number;
  aimUnit: string;
  aimBy: string;
  statement: string;
  checkpointRule: string;
  guardrail: string;
  stopOwnerId: string | null;
  rollbackPath: string;
  ownerId: string | null;
  cadenceWeeks: 1 | 2;
  signals: SignalSpec[];
}

export interface Decision {
  id: string;
  mechanismId: string;
  reviewId: string | null;
  decision: DecisionKind;
  entry: string;
  whatChanged: string;
  whatDidnt: string;
  why: string;
  changeDetail: string;
  checkpoint: "pass" | "fail" | "unknown";
  source: "review" | "command";
  decidedBy: string;
  decidedAt: Date;
}

export interface Reading {
  signalId: string;
  kind: SignalKind;
  value: number;
  recordedAt: Date;
}
