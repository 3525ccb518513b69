import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyRing, parseKey, SealingError } from "../../../src/installations/sealing.js";

const key = (fill: number) => {
  const parsed = parseKey(Buffer.alloc(32, fill).toString("base64"));
  if (!parsed) throw new Error("test key did not parse");
  return parsed;
};

describe("sealing tokens (AES-256-GCM)", () => {
  it("round-trips a value, with a fresh IV each time and no plaintext in what is stored", () => {
    const ring = new KeyRing(key(1));
    const a = ring.seal("xoxb-secret-token");
    const b = ring.seal("xoxb-secret-token");
    expect(a.sealed).not.toBe(b.sealed);
    expect(a.sealed).not.toContain("xoxb");
    expect(ring.open(a.keyId, a.sealed)).toBe("xoxb-secret-token");
    expect(a.keyId).toBe(key(1).id);
  });

  it("refuses the wrong key and an altered value", () => {
    const sealed = new KeyRing(key(1)).seal("xoxb-secret-token");
    const other = new KeyRing(key(2));
    expect(() => other.open(sealed.keyId, sealed.sealed)).toThrow(SealingError);
    // Same id, other bytes: GCM's tag fails rather than returning garbage.
    const impostor = new KeyRing({ id: sealed.keyId, key: randomBytes(32) });
    expect(() => impostor.open(sealed.keyId, sealed.sealed)).toThrow(/wrong key or altered/);
    const [f, iv, tag, body = ""] = sealed.sealed.split(".");
    const flipped = `${f}.${iv}.${tag}.${body.startsWith("A") ? `B${body.slice(1)}` : `A${body.slice(1)}`}`;
    expect(() => new KeyRing(key(1)).open(sealed.keyId, flipped)).toThrow(SealingError);
  });

  it("rotates: a new key seals, the old one still opens what it sealed", () => {
    const old = new KeyRing(key(1)).seal("xoxb-before-rotation");
    const rotated = new KeyRing(key(2), [key(1)]);
    expect(rotated.isOld(old.keyId)).toBe(true);
    expect(rotated.open(old.keyId, old.sealed)).toBe("xoxb-before-rotation");
    expect(rotated.seal("x").keyId).toBe(key(2).id);
  });

  it("reads 32-byte keys as base64 or hex, and nothing else", () => {
    const bytes = Buffer.alloc(32, 9);
    expect(parseKey(bytes.toString("base64"))?.key.equals(bytes)).toBe(true);
    expect(parseKey(bytes.toString("hex"))?.key.equals(bytes)).toBe(true);
    expect(parseKey(Buffer.alloc(16).toString("base64"))).toBeNull();
    expect(parseKey("not a key!")).toBeNull();
  });
});
