import { z } from "zod";

/**
 * Environment, parsed once at start and passed down. Nothing else reads process.env.
 * Each message names the variable and where to get its value, because a new
 * user's first run usually fails here.
 */
const where = {
  bot: "Slack app settings → OAuth & Permissions → Bot User OAuth Token (install the app created from manifest.yml first)",
  signing: "Slack app settings → Basic Information → App Credentials → Signing Secret",
  app: "Slack app settings → Basic Information → App-Level Tokens (scope connections:write)",
};

const schema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string({ error: `SLACK_BOT_TOKEN is not set. Copy it from ${where.bot}.` })
      .startsWith("xoxb-", { error: `SLACK_BOT_TOKEN must start with xoxb-. Copy it from ${where.bot}.` }),
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
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: `SLACK_SIGNING_SECRET is not set (needed in HTTP mode). Copy it from ${where.signing}, or set SLACK_APP_TOKEN to use Socket Mode.`,
      });
    }
  });

export interface Config {
  slack: {
    botToken: string;
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
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      mode: e.SLACK_APP_TOKEN ? "socket" : "http",
      timeoutMs: e.SLACK_TIMEOUT_MS,
    },
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
  };
}
