import { createHash } from "node:crypto";
import { conflict } from "./errors";

export interface IdempotencyEntry {
  fingerprint: string;
  status: number;
  body: unknown;
  expiresAt: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** Replays of writes carrying `Idempotency-Key`, scoped per token (hashed, never stored in clear). */
export class IdempotencyCache {
  constructor(
    public entries: Record<string, IdempotencyEntry>,
    private readonly ttlMs: number,
  ) {}

  static scope(token: string, key: string): string {
    return `${sha256(token).slice(0, 16)}:${key}`;
  }

  static fingerprint(method: string, path: string, body: Buffer): string {
    return sha256(Buffer.concat([Buffer.from(`${method} ${path}\n`), body]));
  }

  /** The stored response to replay, or a 409 when the key was used for a different request. */
  lookup(scope: string, fingerprint: string): IdempotencyEntry | undefined {
    const hit = this.entries[scope];
    if (!hit) return undefined;
    if (hit.expiresAt <= Date.now()) {
      delete this.entries[scope];
      return undefined;
    }
    if (hit.fingerprint !== fingerprint) throw conflict("Idempotency key reused with a different request body.");
    return hit;
  }

  remember(scope: string, fingerprint: string, status: number, body: unknown): void {
    const now = Date.now();
    for (const [k, e] of Object.entries(this.entries)) if (e.expiresAt <= now) delete this.entries[k];
    this.entries[scope] = { fingerprint, status, body, expiresAt: now + this.ttlMs };
  }
}
