// Rotation detection for write-only tokens without keeping them: state stores a random salt and
// a scrypt digest (slow on purpose, so a leaked state file does not make tokens cheap to guess).
//
// Slow also means ~50 ms of CPU per digest. Computed inline it blocks the provider process's
// event loop, and every other resource's read or diff waits behind it. So comparisons first
// `primeDigests` (scrypt on libuv's thread pool, in parallel) and then find the digest memoized;
// `digestToken` computes inline only what nobody primed.
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (token: string, salt: string, keylen: number, options: object) => Promise<Buffer>;

export interface TokenDigest {
  tokenSalt: string;
  tokenDigest: string;
}

const PARAMS = { N: 1 << 14, r: 8, p: 1 };

/** Digests this process computed, keyed by a hash of (salt, token): the token itself is not kept. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 10_000;
const memoKey = (token: string, salt: string) => createHash("sha256").update(salt).update("\0").update(token).digest("base64");
function remember(key: string, digest: string): string {
  if (memo.size >= MEMO_LIMIT) memo.clear(); // bounded: a long-lived process never grows without end
  memo.set(key, digest);
  return digest;
}

export function digestToken(token: string, salt = randomBytes(16).toString("hex")): TokenDigest {
  const key = memoKey(token, salt);
  const digest = memo.get(key) ?? remember(key, scryptSync(token, salt, 32, PARAMS).toString("hex"));
  return { tokenSalt: salt, tokenDigest: digest };
}

/** Computes the digests of these (token, salt) pairs off the event loop, so that `digestToken` finds them. */
export async function primeDigests(pairs: Iterable<{ token: string; salt: string }>): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  for (const { token, salt } of pairs) {
    const key = memoKey(token, salt);
    if (!memo.has(key)) jobs.push(scryptAsync(token, salt, 32, PARAMS).then((buf) => remember(key, buf.toString("hex"))));
  }
  await Promise.all(jobs);
}

export function tokenMatches(token: unknown, known: Partial<TokenDigest> | undefined): boolean {
  if (typeof token !== "string" || !known?.tokenSalt || !known.tokenDigest) return false;
  const fresh = Buffer.from(digestToken(token, known.tokenSalt).tokenDigest, "hex");
  const stored = Buffer.from(known.tokenDigest, "hex");
  return fresh.length === stored.length && timingSafeEqual(fresh, stored);
}
