import type { KnownBlock, ModalView } from "@slack/types";
import type { AuditEntry, AuditFields, AuditSubjectType, AuditValue } from "../../audit/audit-entry.js";
import { localLabel } from "../../shared/time-format.js";
import { AUDIT_ACTION, AUDIT_BLOCK, AUDIT_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { actions, button, context, divider, message, modal, section } from "./kit.js";
import { clip, joinMd, type Mrkdwn, md, mention } from "./mrkdwn.js";

/** A History button's (and page button's) value: which subject, which page. */
export interface AuditPageRef {
  t: AuditSubjectType;
  id: string;
  p: number;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** A stored value as one short line; escaped by `md` where it is shown. */
function show(v: AuditValue | undefined): string {
  if (v === undefined || v === null || v === "") return "—";
  if (Array.isArray(v)) return v.length === 0 ? "—" : v.map((x) => show(x)).join("; ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** "field: before → after" for each changed field; a creation shows its values only. */
function changes(before: AuditFields, after: AuditFields): Mrkdwn[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.slice(0, 12).map((k) => {
    const b = clip(oneLine(show(before[k])), 120);
    const a = clip(oneLine(show(after[k])), 120);
    return Object.hasOwn(before, k) ? md`• ${k}: ${b} → ${a}` : md`• ${k}: ${a}`;
  });
}

/** One entry: who did what, when (team local) and through which surface, then its changes. */
function auditLine(e: AuditEntry, timezone: string, o: { subject?: boolean } = {}): Mrkdwn {
  const what = o.subject ? md` (${e.subjectType} ${e.subjectId})` : md``;
  const head = md`*${e.action}*${what} by ${mention(e.actor)} · ${localLabel(e.at, timezone)} · via ${e.surface}`;
  const lines = changes(e.before, e.after);
  return lines.length === 0 ? head : joinMd([head, ...lines], "\n");
}

/** The History modal: one page of a subject's audit entries, newest first, with Older / Newer. */
export function buildAuditModal(o: {
  ref: AuditPageRef;
  title: string;
  entries: readonly AuditEntry[];
  more: boolean;
  timezone: string;
}): ModalView {
  const { ref } = o;
  const paging = [
    ...(ref.p > 0 ? [button("Newer", AUDIT_ACTION.page, JSON.stringify({ ...ref, p: ref.p - 1 }))] : []),
    ...(o.more ? [button("Older", AUDIT_ACTION.page, JSON.stringify({ ...ref, p: ref.p + 1 }))] : []),
  ];
  const blocks: KnownBlock[] = [
    context(md`Changes to *${clip(oneLine(o.title), 150)}*, newest first. Times in ${o.timezone}.`),
    ...(o.entries.length === 0
      ? [section(md`Nothing recorded yet: changes made from now on show here.`, AUDIT_BLOCK.empty)]
      : o.entries.flatMap((e, i) => [
          ...(i > 0 ? [divider()] : []),
          section(auditLine(e, o.timezone), `${AUDIT_BLOCK.entries}_${i}`),
        ])),
    ...(paging.length > 0 ? [actions(paging, AUDIT_BLOCK.paging)] : []),
  ];
  return modal({ callbackId: AUDIT_VIEW.history, title: "History", close: "Close", blocks });
}

/** `/ratchet audit`: the team's most recent changes, for the person who asked. */
export function buildTeamAudit(o: {
  teamName: string;
  entries: readonly AuditEntry[];
  timezone: string;
}): SlackMessage {
  const title = md`*Recent changes — ${o.teamName}*`;
  if (o.entries.length === 0) {
    return message(title, [
      section(
        md`${title}\nNothing recorded yet. Creating, editing or stopping a mechanism, changing settings, logging a deviation, editing an incident or its COE and action items, changing the Floor, a Hat case or a learning session shows here.`,
      ),
    ]);
  }
  return message(title, [
    section(title),
    ...o.entries.map((e) => section(auditLine(e, o.timezone, { subject: true }))),
  ]);
}
