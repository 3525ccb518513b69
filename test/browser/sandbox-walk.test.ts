import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/sandbox-app.js";
import { startSandboxServer } from "../../src/sandbox/server.js";
import { createLogger } from "../../src/shared/logger.js";

// The sandbox page in real headless Chromium (Debian's `chromium`; .ci/run installs it), walked by the
// labels a person reads: setup → new mechanism → reminder → review with a decision → alarm → rollup.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
// Each step waits for the app's answer (a modal, a post) as a person would, never for a fixed time.
const WAIT = { timeout: 15_000 };
const SHOTS = join(import.meta.dirname, "..", "..", "test-artifacts", "sandbox");
if (!hasChromium) {
  process.stderr.write(
    `\n  sandbox walk SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n\n`,
  );
}

describe.skipIf(!hasChromium)(`sandbox page in headless Chromium (${CHROMIUM})`, () => {
  let dir: string;
  let sandbox: Sandbox;
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ratchet-sandbox-"));
    mkdirSync(SHOTS, { recursive: true });
    // Monday 23 Nov 2026, 09:00 London: the team's first review slot is Tuesday 10:00.
    sandbox = await startSandbox({
      databaseUrl: `file:${join(dir, "sandbox.db")}`,
      now: new Date("2026-11-23T09:00:00Z"),
      log: createLogger("silent"),
    });
    const started = await startSandboxServer(sandbox, { port: 0 });
    server = started.server;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await page.goto(started.url);
    await page.locator("body[data-ready=true]").waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const feed = () => page.locator("#feed");
  const text = async (locator: Locator) => (await locator.textContent()) ?? "";
  const dialog = (name: string) => page.getByRole("dialog", { name });
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  async function command(text: string) {
    await page.getByLabel("Slash command").fill(text);
    await page.getByRole("button", { name: "Send", exact: true }).click();
  }
  const clock = (label: string) => page.getByRole("button", { name: label, exact: true }).click();

  it("walks setup → new mechanism → reminder → review → alarm → rollup", async () => {
    // Setup: the settings modal, a typed <!channel> that must show as typed and never broadcast.
    await command("/ratchet setup");
    const setup = dialog("Set up your team");
    await setup.getByLabel("Team name").fill("Checkout <!channel> squad");
    await setup.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => setup.count(), WAIT).toBe(0);
    await expect.poll(() => text(feed()), WAIT).toContain("Checkout <!channel> squad is set up here");
    expect(await text(feed())).not.toContain("@channel");
    await shot("01-setup");

    // A new mechanism's one-pager (the repeated "Baseline"/"Target" labels are the proxy's, then the outcome's).
    await command("/ratchet new");
    const form = dialog("New mechanism");
    await form.getByLabel("Short name").fill("First-run nudge");
    await form.getByLabel("Aim", { exact: true }).fill("Increase activation for new SMB signups");
    await form.getByLabel("For whom").fill("Segment S: new SMB signups");
    await form.getByLabel("From (today's value)").fill("27");
    await form.getByLabel("To (target)").fill("35");
    await form.getByLabel("By when").fill("2027-01-31");
    await form
      .getByLabel("We believe X will move Y because Z")
      .fill("We believe making Action X unmissable will raise activation because it removes confusion");
    await form.getByLabel("Proxy (moves first) — name").fill("% doing Action X in 24h");
    await form.getByLabel("Baseline", { exact: true }).nth(0).fill("40");
    await form.getByLabel("Target", { exact: true }).nth(0).fill("80");
    await form.getByLabel("Outcome (must move) — name").fill("14-day activation");
    await form.getByLabel("Baseline", { exact: true }).nth(1).fill("27");
    await form.getByLabel("Target", { exact: true }).nth(1).fill("35");
    await form.getByLabel("Checkpoint rule — continue if …").fill("continue if proxy >= 80");
    await form.getByLabel("Guardrail SLI/SLO").fill("Error rate ≤ 0.1% on signup");
    await form.getByLabel("Who can say stop when it trips").selectOption({ label: "Sam Stopper" });
    await form.getByLabel("Rollback / kill path").fill("Feature flag off");
    await form.getByLabel("Owner", { exact: true }).selectOption({ label: "Olly Owner" });
    await shot("02-one-pager");
    await form.getByRole("button", { name: "Publish" }).click();
    await expect.poll(() => form.count(), WAIT).toBe(0);
    await expect.poll(() => text(feed()), WAIT).toContain("First-run nudge");

    // Tuesday 10:00 London: the review reminder.
    await clock("+1 day");
    await clock("+1 hour");
    await expect.poll(() => text(page.locator("#now")), WAIT).toContain("Tue, 24 Nov 2026, 10:00");
    await expect.poll(() => text(feed()), WAIT).toContain("15-minute review due — First-run nudge");
    await shot("03-reminder");

    // The owner opens the review from the reminder, types readings and decides.
    await page.getByLabel("User").selectOption({ label: "Olly Owner" });
    await page.getByRole("button", { name: "Open review" }).last().click();
    const review = dialog("15-minute review");
    await review.getByLabel("What changed?").fill("Shipped the in-product prompt to 10% of Segment S");
    await review.getByLabel("What didn't?").fill("Email nudges were not sent");
    await review.getByLabel("Why?", { exact: true }).fill("The prompt removes confusion at step N");
    await review.getByLabel(/^proxy:/).fill("85");
    await review.getByLabel(/^outcome:/).fill("31");
    await review.getByLabel(/^outcome:/).blur();
    // A change without saying what changes comes back as an inline error, and nothing is saved.
    await review.getByLabel(/Change — keep the aim/).check();
    await review
      .getByLabel("Decision log entry (1–3 lines)")
      .fill("Proxy 85, activation +4. Widen to all of S.");
    await review.getByRole("button", { name: "Record decision" }).click();
    await expect.poll(() => review.getByRole("alert").count(), WAIT).toBeGreaterThan(0);
    await shot("04-review-inline-error");
    expect(await review.getByLabel("proxy: % doing Action X in 24h").inputValue()).toBe("85");
    await review.getByLabel(/Continue — the mechanism is working/).check();
    await review.getByRole("button", { name: "Record decision" }).click();
    await expect.poll(() => review.count(), WAIT).toBe(0);
    await expect.poll(() => text(feed()), WAIT).toMatch(/continue/i);
    await shot("05-decision");

    // Two whole cycles without a deviation: the thrash alarm.
    await clock("+1 week");
    await clock("+1 week");
    await expect.poll(() => text(feed()), WAIT).toContain("Two cycles without a deviation");
    await shot("06-alarm");

    // Monday 09:00: the weekly rollup, its chart uploaded in the thread and served by the page.
    await clock("to next Monday 09:00");
    await expect.poll(() => text(page.locator("#now")), WAIT).toContain("Mon, 14 Dec 2026, 09:00");
    await expect.poll(() => text(feed()), WAIT).toContain("Weekly rollup");
    const chart = feed().locator("img.file").last();
    await expect
      .poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), WAIT)
      .toBeGreaterThan(100);
    await chart.scrollIntoViewIfNeeded();
    await shot("07-rollup");

    // The Home tab: opening it sends app_home_opened; the page shows what Ratchet published (or says nothing is).
    await page.getByRole("tab", { name: "Home" }).click();
    await expect.poll(() => text(feed()), WAIT).toMatch(/Your Ratchet|has not published a Home tab/);
    await shot("08-home");

    // Every string the app rendered went in as text: the page holds no markup typed by a person.
    expect(await page.locator("#feed script, #feed b:text('@channel')").count()).toBe(0);
  }, 180_000);
});
