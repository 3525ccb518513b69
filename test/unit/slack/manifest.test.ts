import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INCIDENT_SHORTCUT } from "../../../src/slack/ids.js";

// manifest.yml is what a workspace installs: an event Ratchet listens for but never subscribes to,
// or a Web API method without its scope, fails only in production. Read both and compare.

interface Manifest {
  features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions?: { bot_events?: string[] } };
}
const manifest = parse(readFileSync("manifest.yml", "utf8")) as Manifest;

function sources(dir: string): string {
  return (
    readdirSync(dir, { withFileTypes: true, recursive: true })
      // src/sandbox/ is the Slack stand-in (its own `this.users.set(…)`) and the sandbox page: not the app's calls.
      .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.parentPath.includes("sandbox"))
      .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
      .join("\n")
  );
}
const src = sources("src");

/** The bot scope each Web API method Ratchet calls needs (api.slack.com/methods/<method>). */
const SCOPE_OF: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  // no scope needed
  "chat.getPermalink": [],
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  "conversations.replies": ["channels:history", "groups:history", "im:history"],
  "conversations.open": ["im:write"],
  // a team's channel, public or private (the debrief's nudge list and member count)
  "conversations.members": ["channels:read", "groups:read"],
  "users.info": ["users:read"],
  filesUploadV2: ["files:write"],
};

describe("manifest.yml", () => {
  it("subscribes to every event a listener handles", () => {
    // Bolt's app.event("…") or the listener kit's onEvent(app, deps, "…").
    const handled = [...src.matchAll(/(?:app\.event\(|onEvent\(\s*app,\s*deps,\s*)"([a-z_]+)"/g)].map(
      (m) => m[1],
    );
    expect(handled.length).toBeGreaterThan(0);
    for (const event of handled) expect(manifest.settings.event_subscriptions?.bot_events).toContain(event);
  });

  it("asks for the scope of every Web API method Ratchet calls", () => {
    const called = new Set([
      ...[...src.matchAll(/\.(chat|conversations|users)\.([a-zA-Z0-9]+)\(/g)].map((m) => `${m[1]}.${m[2]}`),
      ...[...src.matchAll(/\.(filesUploadV2)\(/g)].map((m) => m[1] ?? ""),
    ]);
    expect(called.size).toBeGreaterThan(3);
    for (const method of called) {
      const scopes = SCOPE_OF[method];
      expect(scopes, `no known scope for ${method}: add it to SCOPE_OF`).toBeDefined();
      for (const scope of scopes ?? []) expect(manifest.oauth_config.scopes.bot, method).toContain(scope);
    }
  });

  it("declares the slash command and the message shortcut the app registers", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(["/ratchet"]);
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toContain(INCIDENT_SHORTCUT);
  });
});
