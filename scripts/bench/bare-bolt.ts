// The baseline for `npm run bench`: a Bolt app in HTTP mode that only acks, configured like Ratchet's
// (same receiver, same /slack/events path, a /healthz route, warn-level logs). Run as a child process:
//   PORT=… SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… SLACK_API_URL=… node --import tsx scripts/bench/bare-bolt.ts
import type { ServerResponse } from "node:http";
import { App, LogLevel } from "@slack/bolt";

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`bare-bolt: ${name} is not set\n`);
    process.exit(1);
  }
  return value;
};

const app = new App({
  token: need("SLACK_BOT_TOKEN"),
  signingSecret: need("SLACK_SIGNING_SECRET"),
  clientOptions: { slackApiUrl: need("SLACK_API_URL") },
  endpoints: "/slack/events",
  logLevel: LogLevel.WARN,
  customRoutes: [
    {
      path: "/healthz",
      method: ["GET"],
      handler: (_req: unknown, res: ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      },
    },
  ],
});

app.command("/ratchet", async ({ ack }) => {
  await ack();
});
app.view(/.*/, async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});

await app.start(Number(need("PORT")));
process.once("SIGTERM", () => {
  void app.stop().finally(() => process.exit(0));
});
