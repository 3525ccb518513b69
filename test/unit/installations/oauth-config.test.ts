import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError, loadConfig } from "../../../src/config.js";
import { BOT_SCOPES } from "../../../src/wiring/oauth.js";

const KEY = Buffer.alloc(32, 3).toString("base64");
const oauth = {
  SLACK_CLIENT_ID: "1.2",
  SLACK_CLIENT_SECRET: "client-secret",
  SLACK_STATE_SECRET: "state-secret-0123456789",
  SLACK_SIGNING_SECRET: "s",
  RATCHET_ENCRYPTION_KEY: KEY,
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("OAuth mode configuration", () => {
  it("is chosen by a client id without a bot token, and needs no bot token", () => {
    const c = loadConfig(oauth);
    expect(c.slack.botToken).toBeUndefined();
    expect(c.slack.oauth?.key.key.equals(Buffer.alloc(32, 3))).toBe(true);
    expect(c.retentionDays).toBe(30);
    // A bot token keeps the single-workspace mode, client id or not.
    expect(loadConfig({ ...oauth, SLACK_BOT_TOKEN: "xoxb-1" }).slack.oauth).toBeUndefined();
  });

  it("refuses to start without a valid encryption key, saying how to make one (and never echoing it)", () => {
    const { RATCHET_ENCRYPTION_KEY: _k, ...noKey } = oauth;
    expect(problems(noKey).join("\n")).toMatch(/RATCHET_ENCRYPTION_KEY is not set.*openssl rand -base64 32/);
    const bad = problems({ ...oauth, RATCHET_ENCRYPTION_KEY: "short-secret-value" }).join("\n");
    expect(bad).toMatch(/RATCHET_ENCRYPTION_KEY must be 32 bytes/);
    expect(bad).not.toContain("short-secret-value");
    expect(problems({ ...oauth, RATCHET_ENCRYPTION_OLD_KEYS: `${KEY},nope` }).join("\n")).toMatch(
      /RATCHET_ENCRYPTION_OLD_KEYS/,
    );
  });

  it("needs the client secret and state secret, over HTTP", () => {
    const { SLACK_CLIENT_SECRET: _c, SLACK_STATE_SECRET: _s, ...rest } = oauth;
    const p = problems({ ...rest, SLACK_APP_TOKEN: "xapp-1" }).join("\n");
    expect(p).toMatch(/SLACK_CLIENT_SECRET is not set/);
    expect(p).toMatch(/SLACK_STATE_SECRET is not set/);
    expect(p).toMatch(/HTTP only: unset SLACK_APP_TOKEN/);
  });

  it("asks an install for exactly manifest.yml's bot scopes", () => {
    const manifest = parse(readFileSync("manifest.yml", "utf8")) as {
      oauth_config: { scopes: { bot: string[] } };
    };
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
