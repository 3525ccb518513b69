import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/sandbox-app.js";
import { startSandboxServer } from "../../src/sandbox/server.js";
import { createLogger } from "../../src/shared/logger.js";

// The sandbox page's API without a browser (test/browser/sandbox-walk.test.ts walks the page itself).
describe("npm run sandbox: the page's API", () => {
  let dir: string;
  let sandbox: Sandbox;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ratchet-sandbox-api-"));
    sandbox = await startSandbox({
      databaseUrl: `file:${join(dir, "sandbox.db")}`,
      now: new Date("2026-11-23T09:00:00Z"),
      log: createLogger("silent"),
    });
    ({ server, url } = await startSandboxServer(sandbox, { port: 0 }));
  }, 60_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(new URL(path, url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  type State = {
    now: string;
    messages: { text: string }[];
    ephemerals: { text: string }[];
    modal: { view: { id: string; title: { text: string } } } | null;
  };
  const state = async (user = "U0TESTER", channel = "C0TEAM") =>
    (await (await fetch(new URL(`/api/state?user=${user}&channel=${channel}`, url))).json()) as State;

  it("serves the page and refuses a snapshot for someone who is not in the sandbox", async () => {
    const page = await fetch(url);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('aria-label="Slash command"');
    expect((await fetch(new URL("/api/state?user=U0NOBODY&channel=C0TEAM", url))).status).toBe(400);
    expect((await fetch(new URL("/files/F0NOPE", url))).status).toBe(404);
  });

  it("opens the settings modal from a typed command, shows inline errors, and saves once valid", async () => {
    expect(
      (await post("/api/command", { user: "U0TESTER", channel: "C0TEAM", text: "/ratchet setup" })).status,
    ).toBe(200);
    const modal = (await state()).modal;
    expect(modal?.view.title.text).toBe("Set up your team");
    const viewId = modal?.view.id ?? "";

    // Slack's client refuses a required input left empty before anything is sent.
    const empty = await post("/api/submit", { user: "U0TESTER", viewId, answers: { team_name: null } });
    expect(empty.status).toBe(400);
    expect(String(empty.body.error)).toContain("team_name");

    const bad = await post("/api/submit", {
      user: "U0TESTER",
      viewId,
      answers: { team_name: "Checkout <!channel> squad", team_timezone: "Mars/Olympus" },
    });
    expect(Object.keys(bad.body.errors as object)).toEqual(["team_timezone"]);
    expect((await state()).messages).toHaveLength(0);

    const good = await post("/api/submit", {
      user: "U0TESTER",
      viewId,
      answers: { team_name: "Checkout <!channel> squad", team_timezone: "Europe/London" },
    });
    expect(good.body.errors).toBeNull();
    const after = await state();
    expect(after.modal).toBeNull();
    expect(after.messages.map((m) => m.text).join("\n")).toContain("Checkout &lt;!channel&gt; squad");
    expect(after.messages.map((m) => m.text).join("\n")).not.toContain("<!channel>");
  });

  it("answers a command only the caller sees, and moves the clock to next Monday 09:00 London", async () => {
    await post("/api/command", { user: "U0OWNER", channel: "C0TEAM", text: "/ratchet help" });
    expect((await state("U0OWNER")).ephemerals.length).toBeGreaterThan(0);
    expect((await state("U0TESTER")).ephemerals).toHaveLength(0);
    const moved = await post("/api/clock", { step: "monday" });
    expect(moved.body.now).toBe("2026-11-30T09:00:00.000Z");
    expect((await state()).now).toBe("2026-11-30T09:00:00.000Z");
    expect((await post("/api/clock", { step: "fortnight" })).status).toBe(400);
  });
});
