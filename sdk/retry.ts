/** Retry policy: what is safe to replay, and how long to wait. */

import type { IncomingHttpHeaders } from "node:http";

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/**
 * Only requests whose replay cannot create a duplicate: reads, deletes, and writes carrying an
 * Idempotency-Key (the server returns the original response for a replayed key).
 */
export function isReplayable(method: string, idempotencyKey: string | undefined): boolean {
  return method === "GET" || method === "DELETE" || idempotencyKey !== undefined;
}

/**
 * 429 and 5xx are transient. 409 is never retried: it means an optimistic-concurrency or
 * idempotency conflict that a replay cannot fix. `x-should-retry` lets the server override.
 */
export function isRetryableStatus(status: number, headers: Headers): boolean {
  if (status === 409) return false;
  const hint = header(headers, "x-should-retry");
  if (hint === "false") return false;
  if (hint === "true") return true;
  return status === 408 || status === 429 || status >= 500;
}

/** Exponential backoff base·2^retry with up to 25 % downward jitter, capped. */
export function backoffDelay(retry: number, baseMs: number, capMs: number): number {
  const raw = Math.min(baseMs * 2 ** retry, capMs);
  return Math.round(raw * (1 - Math.random() * 0.25));
}

/** Server-requested delay from `retry-after-ms`, then `Retry-After` (seconds or HTTP date). */
export function retryAfterDelay(headers: Headers, capMs: number, now = Date.now()): number | undefined {
  const ms = Number(header(headers, "retry-after-ms"));
  if (header(headers, "retry-after-ms") !== undefined && Number.isFinite(ms) && ms >= 0) return Math.min(ms, capMs);
  const value = header(headers, "retry-after");
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.min(seconds * 1000, capMs) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(date - now, 0), capMs);
}

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
