import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Tokens at rest: AES-256-GCM with a random 12-byte IV per value and the key's id stored beside it,
 * so a new key can take over while values sealed with an old one stay readable (and are sealed again
 * with the new key when read). The id is derived from the key (no one has to name keys), and says
 * nothing about it.
 */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export class SealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealingError";
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = "v1";

/**
 * A 32-byte key written as 64 hex digits or as base64 (`openssl rand -base64 32`); null when it is
 * neither, so the config can say what is wrong without repeating the value.
 */
export function parseKey(text: string): EncryptionKey | null {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, "base64")
      : null;
  if (bytes?.length !== 32) return null;
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 12), key: bytes };
}

/** The current key seals; every key (current first, then the old ones) opens by its id. */
export class KeyRing {
  private readonly byId: Map<string, Buffer>;

  constructor(
    readonly current: EncryptionKey,
    old: readonly EncryptionKey[] = [],
  ) {
    this.byId = new Map([...old, current].map((k) => [k.id, k.key]));
  }

  seal(plain: string): { keyId: string; sealed: string } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    const sealed = [FORMAT, iv, tag, body].map((p) => (typeof p === "string" ? p : p.toString("base64")));
    return { keyId: this.current.id, sealed: sealed.join(".") };
  }

  /** Throws SealingError when the key is unknown or the value was altered (GCM's tag). */
  open(keyId: string, sealed: string): string {
    const key = this.byId.get(keyId);
    if (!key) throw new SealingError(`no encryption key with id ${keyId} is configured`);
    const [format, iv, tag, body] = sealed.split(".");
    if (format !== FORMAT || !iv || !tag || body === undefined) throw new SealingError("not a sealed value");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
      const tagBytes = Buffer.from(tag, "base64");
      if (tagBytes.length !== TAG_BYTES) throw new SealingError("not a sealed value");
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    } catch (err) {
      if (err instanceof SealingError) throw err;
      throw new SealingError(`the value sealed with key ${keyId} could not be opened (wrong key or altered)`);
    }
  }

  /** Whether a value sealed with `keyId` should be sealed again with the current key. */
  isOld(keyId: string): boolean {
    return keyId !== this.current.id;
  }
}
