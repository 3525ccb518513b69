/**
 * The one way text reaches Slack as mrkdwn. Slack turns `<…>` into mentions, links and commands
 * (`<!channel>` pings everyone, `<https://evil|Your invoice>` disguises a link) and `&…;` into
 * entities, so every string a person typed is escaped before it is shown. `Mrkdwn` is a class, not
 * a string, so the Block Kit factories (kit.ts) and `SlackMessage.text` accept nothing else: raw
 * text cannot reach a message by accident, and `md` can tell markup from text at run time.
 *
 * - md`…${value}…`: the literal parts are markup written here; every interpolated string or number
 *   is escaped, every Mrkdwn is inserted as it is.
 * - mention / channelLink / link / slackDate build the only `<…>` tokens Ratchet sends, from ids
 *   and URLs that pass strict checks; anything else is shown as escaped text.
 * - clipMd cuts after escaping, never inside an entity or a `<…>` token.
 */
import { clipText } from "../../shared/text.js";

export class Mrkdwn {
  // A private field makes the type nominal: an object literal with a `text` is not a Mrkdwn.
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the field exists for the type, never read
  readonly #made = true;
  /** Use md``, esc() or the token builders below; the constructor is for this module. */
  constructor(
    readonly text: string,
    _token: typeof TOKEN,
  ) {}
  get length(): number {
    return this.text.length;
  }
  toString(): string {
    return this.text;
  }
}

const TOKEN: unique symbol = Symbol("mrkdwn");
const trusted = (text: string): Mrkdwn => new Mrkdwn(text, TOKEN);

export type MdValue = string | number | Mrkdwn;

/** Escapes what a person typed: `&`, `<` and `>` become entities, so nothing can form a mention or link. */
export function esc(text: string | number): Mrkdwn {
  return trusted(String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

const piece = (v: MdValue): string => (v instanceof Mrkdwn ? v.text : esc(v).text);

/**
 * Markup with escaped holes: md`*${title}* by ${mention(id)}`. The literal parts are formatting
 * (`*`, `_`, `~`, backticks, `>` quotes, newlines); their `&` and `<` are escaped too, so a template can
 * never carry a raw token or entity ("`/ratchet history <name>`" shows as written). Tokens come only
 * from the builders below.
 */
export function md(strings: TemplateStringsArray, ...values: MdValue[]): Mrkdwn {
  let out = literalText(strings[0] ?? "");
  values.forEach((v, i) => {
    out += piece(v) + literalText(strings[i + 1] ?? "");
  });
  return trusted(out);
}

/** A template's own text: `&` and `<` escaped (no token can start), `>` kept for block quotes. */
const literalText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** Joins parts (escaping plain strings) with a separator written here. */
export function joinMd(parts: readonly MdValue[], separator: string): Mrkdwn {
  return trusted(parts.map(piece).join(separator));
}

/** Markup that contains no user text at all, e.g. a constant sentence with formatting. */
export const literal = (text: string): Mrkdwn => trusted(text);

export const EMPTY = trusted("");

const USER_ID = /^[UW][A-Z0-9]{1,20}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{1,20}$/;

/** `<@U123>` for a Slack user id; anything that isn't one (a forged value) is shown as text. */
export function mention(id: string): Mrkdwn {
  return USER_ID.test(id) ? trusted(`<@${id}>`) : esc(id);
}

/** `<#C123>` for a Slack channel id; anything else is shown as text. */
export function channelLink(id: string): Mrkdwn {
  return CHANNEL_ID.test(id) ? trusted(`<#${id}>`) : esc(`#${id}`);
}

/** True for a URL Ratchet will make a link of: http(s), no spaces or characters that end a Slack token. */
function isLinkable(url: string): boolean {
  if (!/^https?:\/\/[^\s<>|]+$/i.test(url) || url.length > 2000) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * `<url|label>`. The URL must pass isLinkable (escaping `&` is how Slack wants it inside links);
 * otherwise the label and the URL are shown as text, so a crafted URL can't hide behind a label.
 */
export function link(url: string, label: MdValue): Mrkdwn {
  const text = piece(label).replace(/\|/g, "¦");
  if (!isLinkable(url)) return md`${label} (${url})`;
  return trusted(`<${url.replace(/&/g, "&amp;")}|${text}>`);
}

/** Slack renders `<!date…>` in each reader's zone; `fallback` is shown where it can't. */
export function slackDate(at: Date, format: string, fallback: string): Mrkdwn {
  const seconds = Math.floor(at.getTime() / 1000);
  return trusted(`<!date^${seconds}^${format.replace(/[|>]/g, "")}|${esc(fallback).text}>`);
}

/** Every line of `text` as a block quote ("> …"). */
export function quote(text: MdValue): Mrkdwn {
  return trusted(`>${piece(text).replace(/\n/g, "\n>")}`);
}

/** Cuts a string to `n` UTF-16 units (as Slack counts), before escaping; an emoji never splits in half. */
export const clip = clipText;

/**
 * Cuts markup to at most `n` characters with an ellipsis, after escaping: the cut backs off to
 * before any entity (`&amp;`) or `<…>` token it would split, so Slack never sees half a mention.
 */
export function clipMd(m: Mrkdwn, n: number): Mrkdwn {
  const t = m.text;
  if (t.length <= n) return m;
  let cut = Math.max(0, n - 1);
  // A `<…>` token that starts before the cut and ends at or after it would be split.
  const open = t.lastIndexOf("<", cut - 1);
  if (open !== -1) {
    const close = t.indexOf(">", open);
    if (close === -1 || close >= cut) cut = open;
  }
  // So would an entity (&amp; &lt; &gt;: at most five characters).
  const amp = t.lastIndexOf("&", cut - 1);
  if (amp !== -1) {
    const semi = t.indexOf(";", amp);
    if (semi !== -1 && semi >= cut && semi - amp < 5) cut = amp;
  }
  // Never split a surrogate pair.
  const code = t.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return trusted(`${t.slice(0, cut)}…`);
}
