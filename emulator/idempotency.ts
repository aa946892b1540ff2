import { createHmac, randomBytes } from "node:crypto";
import { conflict } from "./errors";
import { idMap } from "./types";

export interface IdempotencyEntry {
  fingerprint: string;
  status: number;
  body: unknown;
  expiresAt: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export const newIdempotencySecret = (): Buffer => randomBytes(32);

/** A check value for a secret that says nothing about it (it is an HMAC of a constant). */
export const secretId = (secret: Buffer): string => createHmac("sha256", secret).update("qoder-emulator idempotency key id").digest("hex").slice(0, 16);

/**
 * Replays of writes carrying `Idempotency-Key`, scoped per token. Scopes and fingerprints are
 * HMACs under a random secret kept outside the data file: request bodies hold credential tokens,
 * and a plain hash in the file would confirm a guessed token (or the PAT of the scope).
 */
export class IdempotencyCache {
  constructor(
    private readonly entries: () => Record<string, IdempotencyEntry>,
    private readonly secret: Buffer,
    private readonly ttlMs: number,
  ) {}

  private mac(...parts: Array<string | Buffer>): string {
    const h = createHmac("sha256", this.secret);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  scope(token: string, key: string): string {
    return `${this.mac("scope\n", token).slice(0, 32)}:${key}`;
  }

  fingerprint(method: string, path: string, body: Buffer): string {
    return this.mac(`request\n${method} ${path}\n`, body);
  }

  /** The stored response to replay, or a 409 when the key was used for a different request. */
  lookup(scope: string, fingerprint: string): IdempotencyEntry | undefined {
    const entries = this.entries();
    const hit = Object.hasOwn(entries, scope) ? entries[scope] : undefined;
    if (!hit) return undefined;
    if (hit.expiresAt <= Date.now()) {
      delete entries[scope];
      return undefined;
    }
    if (hit.fingerprint !== fingerprint) throw conflict("Idempotency key reused with a different request body.");
    return hit;
  }

  remember(scope: string, fingerprint: string, status: number, body: unknown): void {
    const entries = this.entries();
    const now = Date.now();
    for (const [k, e] of Object.entries(entries)) if (e.expiresAt <= now) delete entries[k];
    entries[scope] = { fingerprint, status, body, expiresAt: now + this.ttlMs };
  }
}

export const emptyIdempotency = (): Record<string, IdempotencyEntry> => idMap<IdempotencyEntry>();
