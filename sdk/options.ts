import type { Dispatcher } from "undici";
import { QoderError } from "./errors";

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

export const BASE_URLS = {
  cn: "https://api.qoder.com.cn/api/v1/cloud",
  global: "https://api.qoder.com/api/v1/cloud",
} as const;

export function resolveBaseUrl(value: string | undefined): string {
  const v = value || "cn";
  const named = BASE_URLS[v as keyof typeof BASE_URLS];
  if (named) return named;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new QoderError(`invalid baseUrl ${JSON.stringify(v)}: expected "cn", "global" or an http(s) URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new QoderError(`invalid baseUrl ${JSON.stringify(v)}: expected an http(s) URL`);
  }
  return v.replace(/\/+$/, "");
}
