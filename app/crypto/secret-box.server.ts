/**
 * Secrets at rest (a shop's Klaviyo private key): AES-256-GCM with ENCRYPTION_KEY.
 *
 * Format: "v1.<iv>.<tag>.<ciphertext>", each part base64url. The version prefix lets a
 * later key rotation or algorithm change read old rows. A fresh 12-byte IV per seal
 * means the same secret never encrypts to the same text. The auth tag makes tampering
 * (or a wrong key) fail loudly instead of yielding garbage. `context` (the shop) is
 * bound in as associated data, so a sealed value copied into another shop's row
 * cannot be opened there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { config } from "../config.server";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

function keyBytes(hexKey?: string): Buffer {
  const hex = hexKey ?? config().ENCRYPTION_KEY;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new SecretBoxError("ENCRYPTION_KEY must be 64 hex characters.");
  return Buffer.from(hex, "hex");
}

export function seal(plaintext: string, context: string, hexKey?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyBytes(hexKey), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function open(sealed: string, context: string, hexKey?: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError("Unrecognised secret format.");
  const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, "base64url"));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError("Unrecognised secret format.");
  const decipher = createDecipheriv("aes-256-gcm", keyBytes(hexKey), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    // Never include the ciphertext or key material: this message can reach a log.
    throw new SecretBoxError("The secret could not be decrypted (wrong ENCRYPTION_KEY, or the value was altered).");
  }
}
