import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * docker-compose.yml can't be run here (no images can be pulled), so it is read as Compose would
 * read it: valid YAML (anchors and `<<` merges resolved), PostgreSQL 16, two replicas built from
 * the Dockerfile with the env from .env, health checks on /healthz, and a proxy on one port that
 * routes by /readyz to exactly those replicas.
 */
const ROOT = join(import.meta.dirname, "..", "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

interface Service {
  image?: string;
  build?: string | { context: string };
  env_file?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}

const compose = parse(read("docker-compose.yml"), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const replicas = Object.entries(services).filter(([, s]) => s.build !== undefined);

describe("docker-compose.yml", () => {
  it("runs PostgreSQL 16 with a health check and a named volume", () => {
    const pg = services.postgres;
    expect(pg?.image).toMatch(/^postgres:16/);
    expect(pg?.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(pg?.volumes?.[0]?.split(":")[0]).toBe("postgres-data");
    expect(compose.volumes).toHaveProperty("postgres-data");
  });

  it("runs two Ratchet replicas built from the Dockerfile, on PostgreSQL, with the env from .env", () => {
    expect(replicas.map(([name]) => name)).toEqual(["ratchet-1", "ratchet-2"]);
    expect(existsSync(join(ROOT, "Dockerfile"))).toBe(true);
    for (const [, s] of replicas) {
      expect(s.build).toBe(".");
      expect(s.env_file).toBe(".env");
      expect(s.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/ratchet:.*@postgres:5432\/ratchet$/);
      expect(s.environment?.PORT).toBe("3000");
      expect(s.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(s.healthcheck?.test).toContain("http://127.0.0.1:3000/healthz");
    }
  });

  it("puts one proxy port in front of the replicas, routing only to the ones /readyz calls ready", () => {
    const proxy = services.proxy;
    expect(proxy?.image).toMatch(/^haproxy:/);
    // Compose's own interpolation, not a template string: the host port defaults to 3000.
    expect(proxy?.ports).toEqual([["$", "{RATCHET_PORT:-3000}:8080"].join("")]);
    expect(Object.keys(proxy?.depends_on ?? {})).toEqual(replicas.map(([name]) => name));
    const [mount] = proxy?.volumes ?? [];
    const [file, target] = (mount ?? "").split(":");
    expect(target).toBe("/usr/local/etc/haproxy/haproxy.cfg");
    const cfg = read(file ?? "");
    expect(cfg).toMatch(/^\s*bind :8080$/m);
    expect(cfg).toMatch(/^\s*balance roundrobin$/m);
    expect(cfg).toMatch(/^\s*option httpchk GET \/readyz$/m);
    const servers = [...cfg.matchAll(/^\s*server (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(servers).toEqual(replicas.map(([name]) => [name, `${name}:3000`]));
  });
});
