import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Logger } from "pino";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { DELIVERY_STATUSES, type DeliveryKind, type DeliveryStatus } from "../shared/deliveries.js";
import type { RequestOutcome } from "../shared/request-context.js";
import { deadline } from "./deadline.js";

/** The Slack surfaces a request can come from (what picked its listener). */
export type Surface = "command" | "action" | "view" | "shortcut" | "event" | "options" | "other";

/** One Web API (or response_url, or file upload) HTTP attempt, as the observed fetch saw it. */
export interface SlackCall {
  method: string;
  seconds: number;
  /** Slack's error code, `http_<status>`, `ratelimited`, `timeout` or `network`; null when ok */
  error: string | null;
  /** the same call (method and arguments) failed earlier: this attempt repeats it */
  retry: boolean;
}

/** What the observed fetch reports to; Metrics implements it, tests may pass their own. */
export interface SlackCallObserver {
  slackCall(call: SlackCall): void;
}

/** A scrape must answer even when the database doesn't: the queue gauge is skipped after this. */
const COLLECT_TIMEOUT_MS = 2000;

/**
 * How often perf_hooks times the event loop: a timer due every 10 ms records how long it really took
 * to come round. Finer costs CPU on every turn; a block shorter than this is not seen.
 */
const LOOP_DELAY_RESOLUTION_MS = 10;
const NS_PER_S = 1e9;

/**
 * Ratchet's Prometheus metrics, on a registry of its own (never prom-client's global one), so
 * every app built in one process (the tests build many) counts for itself. Only the edges write
 * here: the request observer, the observed fetch, the job wrapper and the deliverer's events;
 * services never see it.
 */
export class Metrics implements SlackCallObserver {
  readonly registry = new Registry();

  private readonly requestSeconds = new Histogram({
    name: "ratchet_slack_request_duration_seconds",
    help: "Slack requests (commands, actions, views, shortcuts, events, options) from receipt until the listener returned",
    labelNames: ["surface", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [this.registry],
  });
  private readonly ackSeconds = new Histogram({
    name: "ratchet_slack_ack_duration_seconds",
    help: "Time from receipt to the ack (Slack gives up after 3 s)",
    labelNames: ["surface"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [this.registry],
  });
  private readonly apiCalls = new Counter({
    name: "ratchet_slack_api_calls_total",
    help: "HTTP attempts to Slack's Web API (and response_url posts and file uploads), by method",
    labelNames: ["method"] as const,
    registers: [this.registry],
  });
  private readonly apiErrors = new Counter({
    name: "ratchet_slack_api_errors_total",
    help: "Slack calls that failed: Slack's error code, http_<status>, ratelimited, timeout or network",
    labelNames: ["method", "error"] as const,
    registers: [this.registry],
  });
  private readonly apiRetries = new Counter({
    name: "ratchet_slack_api_retries_total",
    help: "Slack calls repeating a call with the same method and arguments that failed in the last hour",
    labelNames: ["method"] as const,
    registers: [this.registry],
  });
  private readonly apiSeconds = new Histogram({
    name: "ratchet_slack_api_duration_seconds",
    help: "How long Slack took to answer a call (or to fail it)",
    labelNames: ["method"] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  private readonly jobLag = new Histogram({
    name: "ratchet_scheduler_lag_seconds",
    help: "How late a job started after the minute its tick was scheduled for",
    labelNames: ["job"] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly jobSeconds = new Histogram({
    name: "ratchet_job_duration_seconds",
    help: "How long one run of a scheduled job took",
    labelNames: ["job", "outcome"] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly deliveryEvents = new Counter({
    name: "ratchet_delivery_events_total",
    help: "What happened to outbox deliveries: claimed, claim_lost, sent, recovered, retry, rate_limited, unknown, blocked, gave_up, cancelled, failed",
    labelNames: ["event", "kind"] as const,
    registers: [this.registry],
  });

  private readonly loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  /*
   * How late the event loop came round, which is how long a Slack request waited before Ratchet
   * could start on it (a tick's job, a chart, a long JSON parse hold the loop). Per scrape, not
   * cumulative: each scrape reports the window since the previous one and resets the histogram, so
   * a spike shows in the scrape after it and is gone from the next (a process-lifetime max would
   * stay at the worst pause since start). Two scrapers each see only their share of the windows.
   * A reset also forgets when the timer last ran, so the first 10 ms after a scrape go untimed: a
   * block that starts in them is missed (prom-client's nodejs_eventloop_lag_* reset the same way).
   * This gauge's collect reads the window for both gauges; it is registered before the max gauge,
   * and prom-client runs synchronous collects in registration order, so one scrape reads one window.
   */
  private readonly loopDelayQuantiles = new Gauge({
    name: "ratchet_event_loop_delay_seconds",
    help: "How late the event loop ran a timer due every 10 ms, by quantile, since the previous scrape",
    labelNames: ["quantile"] as const,
    registers: [this.registry],
    collect: () => this.readLoopDelay(),
  });
  private readonly loopDelayMax = new Gauge({
    name: "ratchet_event_loop_delay_max_seconds",
    help: "The longest the event loop was late since the previous scrape",
    registers: [this.registry],
  });

  constructor(o: { defaultMetrics?: boolean } = {}) {
    // Process CPU, memory, GC and event-loop delay (nodejs_eventloop_lag_*), read on each scrape.
    if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.loopDelay.enable();
  }

  /** Stops timing the event loop (on shutdown; and each test's app, so none keeps sampling). */
  stop(): void {
    this.loopDelay.disable();
  }

  /**
   * Sets both loop-delay gauges from the window since the last scrape, then starts a new window.
   * perf_hooks records the time between the timer's runs, resolution included: the resolution is
   * taken off, so an idle loop reads about 0 s rather than 0.01 s. A window with no sample (scrapes
   * less than 10 ms apart) reads 0.
   */
  private readLoopDelay(): void {
    const h = this.loopDelay;
    const late = (ns: number) =>
      h.count === 0 ? 0 : Math.max(0, ns / NS_PER_S - LOOP_DELAY_RESOLUTION_MS / 1000);
    this.loopDelayQuantiles.set({ quantile: "0.5" }, late(h.percentile(50)));
    this.loopDelayQuantiles.set({ quantile: "0.99" }, late(h.percentile(99)));
    this.loopDelayMax.set(late(h.max));
    h.reset();
  }

  /** One Slack request ended; `ackSeconds` is null when it was never acked. */
  request(surface: Surface, outcome: RequestOutcome, seconds: number, ackSeconds: number | null): void {
    this.requestSeconds.observe({ surface, outcome }, seconds);
    if (ackSeconds !== null) this.ackSeconds.observe({ surface }, ackSeconds);
  }

  slackCall(call: SlackCall): void {
    this.apiCalls.inc({ method: call.method });
    this.apiSeconds.observe({ method: call.method }, call.seconds);
    if (call.error !== null) this.apiErrors.inc({ method: call.method, error: call.error });
    if (call.retry) this.apiRetries.inc({ method: call.method });
  }

  job(o: { job: string; lagSeconds: number; seconds: number; outcome: "ok" | "error" }): void {
    this.jobLag.observe({ job: o.job }, Math.max(0, o.lagSeconds));
    this.jobSeconds.observe({ job: o.job, outcome: o.outcome }, o.seconds);
  }

  deliveryEvent(event: string, kind: DeliveryKind): void {
    this.deliveryEvents.inc({ event, kind });
  }

  /**
   * The outbox by status, read from the database on each scrape (so every replica reports the same
   * shared queue). A scrape while the database is slow or gone leaves the series out rather than
   * failing, or showing stale numbers.
   */
  deliveryCounts(source: () => Promise<Record<DeliveryStatus, number>>, log: Logger): void {
    new Gauge({
      name: "ratchet_deliveries",
      help: "Outbox deliveries by status (queued, sending and unknown are the work still to do)",
      labelNames: ["status"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const counts = await deadline(source(), COLLECT_TIMEOUT_MS);
          for (const status of DELIVERY_STATUSES) this.set({ status }, counts[status]);
        } catch (err) {
          log.warn({ err }, "could not count deliveries for /metrics");
        }
      },
    });
  }

  /** The exposition text for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
