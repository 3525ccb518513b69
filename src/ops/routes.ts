import type { ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { Logger } from "pino";
import type { Metrics } from "./metrics.js";
import type { ReadinessReport } from "./readiness.js";

/**
 * GET /healthz, /readyz and /metrics, served by Bolt's own HTTP server in both modes (in Socket
 * Mode on installerOptions.port). Each handler answers even when what it reports on fails: Bolt's
 * Socket Mode server doesn't await or catch a route's promise.
 */
export function opsRoutes(o: {
  ready: () => Promise<ReadinessReport>;
  metrics: Metrics;
  log: Logger;
}): CustomRoute[] {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  return [
    {
      // Liveness: the process and its event loop run. No I/O, so a slow or locked database never
      // makes an orchestrator restart a process that would be fine once the database is back.
      path: "/healthz",
      method: ["GET"],
      handler: (_req, res) => json(res, 200, { ok: true }),
    },
    {
      path: "/readyz",
      method: ["GET"],
      handler: async (_req, res) => {
        try {
          const report = await o.ready();
          json(res, report.ok ? 200 : 503, report);
        } catch (err) {
          o.log.error({ err }, "readiness check failed unexpectedly");
          json(res, 503, { ok: false });
        }
      },
    },
    {
      path: "/metrics",
      method: ["GET"],
      handler: async (_req, res) => {
        try {
          const { contentType, body } = await o.metrics.render();
          res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
          res.end(body);
        } catch (err) {
          o.log.error({ err }, "could not render /metrics");
          res.writeHead(500, { "content-type": "text/plain" });
          res.end("metrics unavailable\n");
        }
      },
    },
  ];
}
