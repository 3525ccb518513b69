import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";
import { CLOCK_STEPS, type ClockStep, stepClock } from "./clock-steps.js";
import type { StoredMessage } from "./fake-slack.js";
import { SANDBOX_CHANNELS, SANDBOX_USERS, type Sandbox } from "./sandbox-app.js";

// The page's own small API over the sandbox: a snapshot of what one person sees, and the four things
// a person does in Slack (command, click, submit, close) plus the clock. The page is plain files.
const PAGE_DIR = join(import.meta.dirname, "page");
const STATIC: Record<string, [file: string, type: string]> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/page.js": ["page.js", "text/javascript; charset=utf-8"],
  "/page.css": ["page.css", "text/css; charset=utf-8"],
};

const userId = z.enum(SANDBOX_USERS.map((u) => u.id) as [string, ...string[]]);
const answer = z.union([z.string(), z.number(), z.array(z.string()), z.null()]);
const Command = z.object({
  user: userId,
  channel: z.string().min(1),
  text: z.string().trim().min(1).max(4000),
});
const Action = z.object({
  user: userId,
  actionId: z.string().min(1),
  blockId: z.string().optional(),
  value: z.string().optional(),
  selectedOption: z.string().optional(),
  message: z.object({ channelId: z.string(), ts: z.string() }).optional(),
  viewId: z.string().optional(),
  state: z.record(z.string(), answer).optional(),
});
const Submit = z.object({ user: userId, viewId: z.string().min(1), answers: z.record(z.string(), answer) });
const Close = z.object({ viewId: z.string().min(1) });
const Clock = z.object({ step: z.enum(Object.keys(CLOCK_STEPS) as [ClockStep, ...ClockStep[]]) });

/** Serves the page and its API on `port` or the next free one; resolves with the URL it listens on. */
export async function startSandboxServer(
  sandbox: Sandbox,
  o: { port: number; host?: string; onClock?: (now: Date) => void },
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    handle(sandbox, req, res, o.onClock).catch((error: unknown) => {
      send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const host = o.host ?? "127.0.0.1";
  for (let port = o.port; ; port++) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, host, () => resolve(true));
    });
    if (listening) break;
    if (o.port === 0 || port > o.port + 50) throw new Error(`no free port from ${o.port}`);
  }
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, server };
}

async function handle(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  onClock?: (now: Date) => void,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const path = url.pathname;
  const asset = STATIC[path];
  if (req.method === "GET" && asset) {
    res.writeHead(200, { "content-type": asset[1], "cache-control": "no-store" });
    res.end(await readFile(join(PAGE_DIR, asset[0])));
    return;
  }
  if (req.method === "GET" && path === "/api/state") {
    const parsed = z
      .object({ user: userId, channel: z.string() })
      .safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) return send(res, 400, { error: "pick a user and a channel" });
    return send(res, 200, snapshot(sandbox, parsed.data.user, parsed.data.channel));
  }
  if (req.method === "GET" && path.startsWith("/files/")) return sendFile(sandbox, path.slice(7), res);
  if (req.method !== "POST") return send(res, 404, { error: "not found" });
  const body = await readJson(req);
  const { sender, fake } = sandbox;
  const before = fake.calls.length;
  try {
    switch (path) {
      case "/api/command": {
        const c = Command.parse(body);
        const [word = "", ...rest] = c.text.split(/\s+/);
        const command = word.startsWith("/") ? word : "/ratchet";
        const args = word.startsWith("/") ? rest.join(" ") : c.text;
        const result = await sender.command(args, { userId: c.user, channelId: c.channel, command });
        // An ack with text is the Slack client showing it to the person alone; the app is done then.
        // A bare ack: the app answers on its own, within Slack's 3 seconds.
        const ack = result.body as { text?: unknown; blocks?: unknown } | string;
        const said = typeof ack === "string" ? ack.trim() : typeof ack?.text === "string" ? ack.text : "";
        if (said !== "") {
          const blocks = typeof ack === "object" && Array.isArray(ack.blocks) ? { blocks: ack.blocks } : {};
          fake.ephemerals.push({ channel: c.channel, user: c.user, ts: nextTs(fake), text: said, ...blocks });
        }
        await quiet(sandbox, before, said !== "" ? 200 : 3000);
        return send(res, 200, { status: result.status });
      }
      case "/api/action": {
        const a = Action.parse(body);
        const { user, ...rest } = a;
        const result = await sender.blockAction({ userId: user, ...rest, message: rest.message });
        await quiet(sandbox, before);
        return send(res, 200, { status: result.status });
      }
      case "/api/submit": {
        const s = Submit.parse(body);
        const result = await sender.submitView(s.viewId, s.answers, { userId: s.user });
        // Errors go back inline with nothing saved; anything else may post or open a view after the ack.
        if (!result.errors) await quiet(sandbox, before);
        return send(res, 200, { status: result.status, errors: result.errors ?? null });
      }
      case "/api/home": {
        // Opening the Home tab is what makes Slack send app_home_opened.
        const { user } = z.object({ user: userId }).parse(body);
        const result = await sender.event({
          type: "app_home_opened",
          user,
          tab: "home",
          channel: fake.dmChannelFor(user) ?? "",
        });
        await quiet(sandbox, before);
        return send(res, 200, { status: result.status });
      }
      case "/api/close": {
        fake.closeView(Close.parse(body).viewId);
        return send(res, 200, {});
      }
      case "/api/clock": {
        const { step } = Clock.parse(body);
        sandbox.clock.set(stepClock(sandbox.clock.now(), step, SANDBOX_USERS[0].tz));
        await sandbox.tick();
        onClock?.(sandbox.clock.now());
        return send(res, 200, { now: sandbox.clock.now().toISOString() });
      }
      default:
        return send(res, 404, { error: "not found" });
    }
  } catch (error) {
    // What the Slack client itself would refuse (a required input left empty, an unknown option).
    const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    return send(res, 400, { error: message });
  }
}

/** Everything one person sees: the channel (threads and their ephemerals), their DMs, Home, the open modal. */
function snapshot(sandbox: Sandbox, user: string, channel: string) {
  const { fake } = sandbox;
  const withReplies = (m: StoredMessage) => ({ ...m, replies: fake.repliesTo(m.channel, m.ts) });
  const dm = fake.dmChannelFor(user);
  const stack = fake.openStacks().at(-1) ?? [];
  const top = stack.at(-1);
  return {
    now: sandbox.clock.now().toISOString(),
    steps: CLOCK_STEPS,
    users: SANDBOX_USERS,
    channels: SANDBOX_CHANNELS,
    messages: fake.messagesIn(channel).map(withReplies),
    ephemerals: fake.ephemerals.filter((e) => e.channel === channel && e.user === user),
    dm: dm ? { id: dm, messages: fake.messagesIn(dm).map(withReplies) } : null,
    home: fake.homeViewFor(user) ?? null,
    modal: top ? { view: fake.viewById(top), depth: stack.length } : null,
    files: fake.files.filter((f) => f.completed).map((f) => ({ id: f.id, name: f.filename, title: f.title })),
  };
}

/**
 * Commands and clicks ack first and call Slack afterwards, so the page would miss a modal opened a moment
 * later: wait for the app's first Web API call (at most Slack's 3-second trigger lifetime), then until it has been quiet a little while.
 */
async function quiet(sandbox: Sandbox, callsBefore: number, firstCallMs = 3000): Promise<void> {
  const calls = () => sandbox.fake.calls.length;
  const pause = () => new Promise((r) => setTimeout(r, 50));
  for (let waited = 0; calls() === callsBefore && waited < firstCallMs; waited += 50) await pause();
  for (let seen = -1; seen !== calls(); ) {
    seen = calls();
    await pause();
    await sandbox.settle();
  }
}

function sendFile(sandbox: Sandbox, id: string, res: ServerResponse): void {
  const file = sandbox.fake.files.find((f) => f.id === id && f.bytes);
  if (!file?.bytes) {
    send(res, 404, { error: "no such file" });
    return;
  }
  const ext = file.filename.split(".").at(-1)?.toLowerCase() ?? "";
  const type =
    { png: "image/png", md: "text/markdown", csv: "text/csv", json: "application/json" }[ext] ??
    "application/octet-stream";
  res.writeHead(200, {
    "content-type": `${type}`,
    "content-disposition": `inline; filename="${file.filename}"`,
  });
  res.end(Buffer.from(file.bytes));
}

function nextTs(fake: Sandbox["fake"]): string {
  // After the fake's own stamps of the same second (their counter is private), in the order they came.
  return `${Math.floor(fake.messageClock() / 1000)}.${String(900_000 + fake.ephemerals.length)}`;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  try {
    return raw ? (JSON.parse(raw) as unknown) : {};
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
