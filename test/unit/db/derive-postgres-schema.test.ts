import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema } from "../../../scripts/derive-postgres-schema.js";

const source = readFileSync(new URL("../../../prisma/schema.prisma", import.meta.url), "utf8");

describe("derivePostgresSchema", () => {
  it("swaps the datasource provider to postgresql", () => {
    const derived = derivePostgresSchema(source);
    expect(derived).toMatch(/datasource db \{\s*provider = "postgresql"/);
    expect(derived).not.toContain('"sqlite"');
  });

  it("points the generated client at src/generated/postgres, relative to prisma/.generated/", () => {
    const derived = derivePostgresSchema(source);
    expect(derived).toContain('output       = "../../src/generated/postgres"');
    expect(derived).not.toContain("generated/sqlite");
  });

  it("keeps every model line unchanged", () => {
    const models = (schema: string) => schema.slice(schema.indexOf("model "));
    expect(models(derivePostgresSchema(source))).toBe(models(source));
  });

  it("refuses a schema whose generator output it cannot find", () => {
    const moved = source.replace('output       = "../src/generated/sqlite"', 'output = "../elsewhere"');
    expect(() => derivePostgresSchema(moved)).toThrow(/no longer matches/);
  });
});
