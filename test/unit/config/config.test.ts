import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.js";

const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("configuration", () => {
  it("defaults to HTTP mode on the embedded SQLite database, port 3000, log level info", () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ port: 3000, databaseUrl: "file:./data/ratchet.db", logLevel: "info" });
    expect(c.slack.mode).toBe("http");
  });

  it("uses Socket Mode when an app-level token is set, without needing a signing secret", () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(c.slack.mode).toBe("socket");
  });

  it.each([
    [{}, /SLACK_BOT_TOKEN is not set.*OAuth & Permissions/],
    [{ ...base, SLACK_BOT_TOKEN: "xoxp-user" }, /must start with xoxb-/],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, /SLACK_SIGNING_SECRET is not set.*Signing Secret.*SLACK_APP_TOKEN/],
    [{ ...base, SLACK_APP_TOKEN: "bad" }, /SLACK_APP_TOKEN must start with xapp-/],
    [{ ...base, PORT: "eighty" }, /PORT must be a number/],
    [{ ...base, PORT: "70000" }, /PORT must be between/],
    [{ ...base, DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with file:/],
    [{ ...base, SLACK_API_URL: "not a url" }, /SLACK_API_URL must be a URL/],
  ])("names the variable and the fix: %o", (env, message) => {
    expect(problems(env as Record<string, string>).join("\n")).toMatch(message);
  });

  it("selects PostgreSQL by URL scheme", () => {
    expect(loadConfig({ ...base, DATABASE_URL: "postgresql://u@h/db" }).databaseUrl).toMatch(/^postgresql:/);
    expect(loadConfig({ ...base, DATABASE_URL: "postgres://u@h/db" }).databaseUrl).toMatch(/^postgres:/);
  });

  it("the bot exits 1 with one clear message and no stack trace when configuration is missing", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      encoding: "utf8",
      timeout: 30_000,
      cwd: new URL("../../..", import.meta.url).pathname,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SLACK_BOT_TOKEN is not set");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
