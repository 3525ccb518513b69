import { describe, expect, it } from "vitest";
import { DomainError } from "../../../src/shared/errors.js";
import {
  assertAdmin,
  assertMayActAsOwner,
  isAdmin,
  mayActAsOwner,
  nextAdmins,
  parseAdmins,
  RoleRefusal,
} from "../../../src/teams/roles.js";

const team = { admins: ["U0ADMIN"] };
const mechanism = { ownerId: "U0OWNER", stopOwnerId: "U0STOP", guardrails: [{ stopOwnerId: "U0GUARD" }] };

describe("roles: who may do what", () => {
  it("reads the stored admins, dropping blanks and repeats", () => {
    expect(parseAdmins("U1, U2,,U1")).toEqual(["U1", "U2"]);
    expect(parseAdmins("")).toEqual([]);
  });

  it("lets the owner, every stop owner and an admin act as owner, nobody else", () => {
    for (const who of ["U0OWNER", "U0STOP", "U0GUARD", "U0ADMIN"]) {
      expect(mayActAsOwner(team, mechanism, who), who).toBe(true);
    }
    expect(mayActAsOwner(team, mechanism, "U0OTHER")).toBe(false);
  });

  it("refuses with who can instead, naming people as data", () => {
    let refusal: unknown;
    try {
      assertMayActAsOwner(team, mechanism, "U0OTHER", "stop", "decision");
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(RoleRefusal);
    expect((refusal as RoleRefusal).field).toBe("decision");
    expect((refusal as RoleRefusal).message).toBe(
      "Only the mechanism's owner <@U0OWNER> or stop owner <@U0STOP>, <@U0GUARD> can stop it; ask them or a team admin <@U0ADMIN>.",
    );
  });

  it("lets anyone act on a team with no admins yet (no lockout on upgrade)", () => {
    const old = { admins: [] };
    expect(isAdmin(old, "U0ANYONE")).toBe(true);
    expect(mayActAsOwner(old, mechanism, "U0ANYONE")).toBe(true);
    expect(() => assertAdmin(old, "U0ANYONE")).not.toThrow();
    expect(() => assertAdmin(team, "U0ANYONE")).toThrow(/Only a team admin/);
  });

  it("keeps at least one admin", () => {
    expect(nextAdmins(["U1"], undefined)).toEqual(["U1"]);
    expect(nextAdmins(["U1"], ["U2", "U2"])).toEqual(["U2"]);
    expect(() => nextAdmins(["U1"], [])).toThrow(DomainError);
  });
});
