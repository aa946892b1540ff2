// Rotation detection for write-only tokens without keeping them: state stores a random salt and
// a scrypt digest (slow on purpose, so a leaked state file does not make tokens cheap to guess).
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

export interface TokenDigest {
  tokenSalt: string;
  tokenDigest: string;
}

const PARAMS = { N: 1 << 14, r: 8, p: 1 };

export function digestToken(token: string, salt = randomBytes(16).toString("hex")): TokenDigest {
  return { tokenSalt: salt, tokenDigest: scryptSync(token, salt, 32, PARAMS).toString("hex") };
}

export function tokenMatches(token: unknown, known: Partial<TokenDigest> | undefined): boolean {
  if (typeof token !== "string" || !known?.tokenSalt || !known.tokenDigest) return false;
  const fresh = Buffer.from(digestToken(token, known.tokenSalt).tokenDigest, "hex");
  const stored = Buffer.from(known.tokenDigest, "hex");
  return fresh.length === stored.length && timingSafeEqual(fresh, stored);
}
