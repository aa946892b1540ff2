import type { Dispatcher } from "undici";
import { QoderError } from "./errors";
import { maskUrlCredentials } from "./redact";

export interface ClientEvent {
  kind: "request" | "response" | "retry";
  method: string;
  path: string;
  status?: number;
  attempt: number;
  requestId?: string;
  delayMs?: number;
}

export interface ClientOptions {
  /** Personal access token; default `process.env.QODER_PAT`. */
  token?: string;
  /** `"cn"` (default), `"global"` or a full base URL; default `process.env.QODER_BASE_URL ?? "cn"`. */
  baseUrl?: string;
  /** Per attempt; default 60 s. */
  timeoutMs?: number;
  /** Default 3. */
  maxRetries?: number;
  /** First backoff delay; doubles per retry. Default 1000. */
  retryBaseDelayMs?: number;
  /** Cap for Retry-After and backoff. Default 60 s. */
  maxRetryDelayMs?: number;
  /** Default 4 MiB, the CN API limit (the server truncates larger bodies into a confusing 400). */
  maxBodyBytes?: number;
  /**
   * Most bytes read from one response; more → `ResponseTooLargeError` and the connection is
   * dropped. Default 64 MiB, well above any documented object (a 32 MB skill as base64 is ~43 MB).
   */
  maxResponseBytes?: number;
  /** Most pages one `list()` walks; more → `PaginationError`. Default 1000 (100 000 items at limit 100). */
  maxListPages?: number;
  /** Default: one keep-alive undici Agent shared by every client in the process. */
  dispatcher?: Dispatcher;
  defaultHeaders?: Record<string, string>;
  /** Debug hook; events never carry the token. */
  onEvent?: (e: ClientEvent) => void;
  /**
   * Give every write (updates and deletes too, not only creates) its own Idempotency-Key, so
   * transient failures of updates are retried safely: a retried agent update whose first attempt
   * landed is answered from the server's idempotency store instead of a version 409. Off by
   * default; the Pulumi provider turns it on.
   */
  idempotentWrites?: boolean;
}

export interface RequestOptions {
  idempotencyKey?: string;
  /**
   * Called with the final 2xx answer. `replayed`: the server answered an Idempotency-Key it had
   * seen before with the stored response (header `Idempotent-Replayed: true`), so the object
   * in the body may have changed or gone since.
   */
  onSuccess?: (info: { status: number; requestId?: string; replayed: boolean }) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxRetries?: number;
}

export const DEFAULT_LIMITS = {
  timeoutMs: 60_000,
  maxRetries: 3,
  retryBaseDelayMs: 1000,
  maxRetryDelayMs: 60_000,
  maxBodyBytes: 4 * 1024 * 1024,
  maxResponseBytes: 64 * 1024 * 1024,
  maxListPages: 1000,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** Options that are counts or sizes must be at least 1; delays and retry counts may be 0. */
const MINIMUM: Record<keyof Limits, 0 | 1> = {
  timeoutMs: 1,
  maxRetries: 0,
  retryBaseDelayMs: 0,
  maxRetryDelayMs: 0,
  maxBodyBytes: 1,
  maxResponseBytes: 1,
  maxListPages: 1,
};

/** A NaN or fractional option would silently break every request ("timed out after NaN ms"). */
export function checkLimit(name: keyof Limits, value: unknown): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= MINIMUM[name]) return value;
  const shown = typeof value === "number" ? String(value) : JSON.stringify(value);
  throw new QoderError(`${name} must be a whole number ≥ ${MINIMUM[name]} (got ${shown})`);
}

export function resolveLimits(opts: Partial<Record<keyof Limits, unknown>>): Limits {
  const out = { ...DEFAULT_LIMITS } as Limits;
  for (const name of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
    if (opts[name] !== undefined) out[name] = checkLimit(name, opts[name]);
  }
  return out;
}

export const BASE_URLS = {
  cn: "https://api.qoder.com.cn/api/v1/cloud",
  global: "https://api.qoder.com/api/v1/cloud",
} as const;

export function resolveBaseUrl(value: string | undefined): string {
  const v = value || "cn";
  const named = BASE_URLS[v as keyof typeof BASE_URLS];
  if (named) return named;
  const shown = maskUrlCredentials(v);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new QoderError(`invalid baseUrl ${JSON.stringify(shown)}: expected "cn", "global" or an http(s) URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new QoderError(`invalid baseUrl ${JSON.stringify(shown)}: expected an http(s) URL`);
  }
  // The client authenticates with a Bearer token; user:pass would only end up in logs.
  if (url.username || url.password) {
    throw new QoderError(`invalid baseUrl ${JSON.stringify(shown)}: credentials in the URL are not supported (the API authenticates with the token)`);
  }
  return v.replace(/\/+$/, "");
}
