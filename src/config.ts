import { z } from "zod";
import { type EncryptionKey, parseKey } from "./installations/sealing.js";

/**
 * Environment, parsed once at start and passed down. Nothing else reads process.env.
 * Each message names the variable and where to get its value, because a new
 * user's first run usually fails here.
 */
const where = {
  bot: "Slack app settings → OAuth & Permissions → Bot User OAuth Token (install the app created from manifest.yml first)",
  signing: "Slack app settings → Basic Information → App Credentials → Signing Secret",
  app: "Slack app settings → Basic Information → App-Level Tokens (scope connections:write)",
  client: "Slack app settings → Basic Information → App Credentials",
  key: "generate one with: openssl rand -base64 32",
};

const schema = z
  .object({
    // Optional here: required below unless SLACK_CLIENT_ID selects OAuth mode (many workspaces).
    SLACK_BOT_TOKEN: z
      .string()
      .startsWith("xoxb-", { error: `SLACK_BOT_TOKEN must start with xoxb-. Copy it from ${where.bot}.` })
      .optional(),
    SLACK_CLIENT_ID: z.string().min(1).optional(),
    SLACK_CLIENT_SECRET: z.string().min(1).optional(),
    SLACK_STATE_SECRET: z
      .string()
      .min(16, { error: "SLACK_STATE_SECRET must be at least 16 characters" })
      .optional(),
    RATCHET_ENCRYPTION_KEY: z.string().optional(),
    RATCHET_ENCRYPTION_OLD_KEYS: z.string().optional(),
    RATCHET_RETENTION_DAYS: z.coerce
      .number({ error: "RATCHET_RETENTION_DAYS must be a number of days" })
      .int()
      .min(1, { error: "RATCHET_RETENTION_DAYS must be at least 1" })
      .max(3650, { error: "RATCHET_RETENTION_DAYS must be at most 3650" })
      .default(30),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_APP_TOKEN: z
      .string()
      .startsWith("xapp-", { error: `SLACK_APP_TOKEN must start with xapp-. Create one in ${where.app}.` })
      .optional(),
    SLACK_API_URL: z.url({ error: "SLACK_API_URL must be a URL such as https://slack.com/api/" }).optional(),
    PORT: z.coerce
      .number({ error: "PORT must be a number" })
      .int()
      .min(1, { error: "PORT must be between 1 and 65535" })
      .max(65535, { error: "PORT must be between 1 and 65535" })
      .default(3000),
    DATABASE_URL: z
      .string()
      .default("file:./data/ratchet.db")
      .refine((v) => /^(file:|postgres:\/\/|postgresql:\/\/)/.test(v), {
        error: "DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)",
      }),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SLACK_TIMEOUT_MS: z.coerce
      .number({ error: "SLACK_TIMEOUT_MS must be a number of milliseconds" })
      .int()
      .min(100, { error: "SLACK_TIMEOUT_MS must be at least 100" })
      .max(60_000, { error: "SLACK_TIMEOUT_MS must be at most 60000" })
      .default(5000),
  })
  .superRefine((env, ctx) => {
    const oauth = env.SLACK_CLIENT_ID !== undefined && env.SLACK_BOT_TOKEN === undefined;
    if (!oauth && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_BOT_TOKEN"],
        message: `SLACK_BOT_TOKEN is not set. Copy it from ${where.bot} (or set SLACK_CLIENT_ID and the other OAuth variables to install in many workspaces).`,
      });
    }
    for (const message of oauth ? oauthProblems(env) : []) ctx.addIssue({ code: "custom", message });
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: `SLACK_SIGNING_SECRET is not set (needed in HTTP mode). Copy it from ${where.signing}, or set SLACK_APP_TOKEN to use Socket Mode.`,
      });
    }
  });

/** OAuth mode (README → Distribute to many workspaces): installs and their sealed tokens in the database. */
export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** seals new values; `oldKeys` still open what they sealed (key rotation) */
  key: EncryptionKey;
  oldKeys: EncryptionKey[];
}

/** What OAuth mode needs beyond the client id, one line per problem; never repeats a secret. */
function oauthProblems(env: {
  SLACK_CLIENT_SECRET?: string | undefined;
  SLACK_STATE_SECRET?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
  SLACK_APP_TOKEN?: string | undefined;
  RATCHET_ENCRYPTION_KEY?: string | undefined;
  RATCHET_ENCRYPTION_OLD_KEYS?: string | undefined;
}): string[] {
  const problems: string[] = [];
  const mode = "OAuth mode (SLACK_CLIENT_ID set, no SLACK_BOT_TOKEN)";
  if (!env.SLACK_CLIENT_SECRET)
    problems.push(`SLACK_CLIENT_SECRET is not set (${mode}). Copy it from ${where.client}.`);
  if (!env.SLACK_STATE_SECRET)
    problems.push(
      `SLACK_STATE_SECRET is not set (${mode}): any random string of 16+ characters, e.g. openssl rand -hex 32.`,
    );
  if (env.SLACK_APP_TOKEN) problems.push(`${mode} runs over HTTP only: unset SLACK_APP_TOKEN.`);
  if (!env.RATCHET_ENCRYPTION_KEY)
    problems.push(`RATCHET_ENCRYPTION_KEY is not set (${mode} stores tokens encrypted): ${where.key}.`);
  else if (!parseKey(env.RATCHET_ENCRYPTION_KEY))
    problems.push(
      `RATCHET_ENCRYPTION_KEY must be 32 bytes as base64 (44 characters) or hex (64 digits): ${where.key}.`,
    );
  const old = (env.RATCHET_ENCRYPTION_OLD_KEYS ?? "").split(",").filter((k) => k.trim() !== "");
  if (old.some((k) => !parseKey(k)))
    problems.push(
      "RATCHET_ENCRYPTION_OLD_KEYS must be comma-separated keys in RATCHET_ENCRYPTION_KEY's format.",
    );
  return problems;
}

export interface Config {
  slack: {
    /** the one workspace's token; undefined in OAuth mode, where each install has its own */
    botToken: string | undefined;
    oauth: OAuthConfig | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    mode: "socket" | "http";
    /** how long one Web API call may take before its answer is treated as lost */
    timeoutMs: number;
  };
  port: number;
  databaseUrl: string;
  logLevel: string;
  /** how long an uninstalled workspace's data is kept before the retention job deletes it */
  retentionDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError with one line per problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => i.message));
  }
  const e = parsed.data;
  const key =
    e.SLACK_BOT_TOKEN === undefined && e.RATCHET_ENCRYPTION_KEY ? parseKey(e.RATCHET_ENCRYPTION_KEY) : null;
  const oauth: OAuthConfig | undefined =
    key && e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
      ? {
          clientId: e.SLACK_CLIENT_ID,
          clientSecret: e.SLACK_CLIENT_SECRET,
          stateSecret: e.SLACK_STATE_SECRET,
          key,
          oldKeys: (e.RATCHET_ENCRYPTION_OLD_KEYS ?? "")
            .split(",")
            .map((k) => parseKey(k))
            .filter((k): k is EncryptionKey => k !== null),
        }
      : undefined;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      oauth,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      mode: e.SLACK_APP_TOKEN ? "socket" : "http",
      timeoutMs: e.SLACK_TIMEOUT_MS,
    },
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    retentionDays: e.RATCHET_RETENTION_DAYS,
  };
}
