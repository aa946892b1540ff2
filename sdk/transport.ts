import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  MissingTokenError,
  QoderError,
  RequestTooLargeError,
  ResponseTooLargeError,
  makeAPIError,
} from "./errors";
import { encodeMultipart, type FormPart } from "./multipart";
import { checkLimit, resolveBaseUrl, resolveLimits, type ClientEvent, type ClientOptions, type Limits, type RequestOptions } from "./options";
import { rememberSecret } from "./redact";
import { backoffDelay, header, isReplayable, isRetryableStatus, retryAfterDelay, sleep } from "./retry";
import { parseResponse } from "./validate";
import { USER_AGENT } from "./version";

export type Method = "GET" | "POST" | "PUT" | "DELETE";
/** An array value repeats the parameter (`types[]=a&types[]=b`). */
export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;
export type Body = { json: unknown } | { form: FormPart[] };

export interface RequestSpec {
  method: Method;
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Query;
  body?: Body;
  /** A create: send a fresh Idempotency-Key unless the caller supplied one, so it can be retried. */
  idempotent?: boolean;
  /** Hand a 3xx back as a response instead of an error (redirects are never followed: the token would go along). */
  returnRedirects?: boolean;
  options?: RequestOptions;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  requestId: string | undefined;
}

/** An open streaming response: read `body` as bytes arrive. */
export interface StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Buffer>;
  requestId: string | undefined;
}

type Undici = typeof import("undici");
let undiciModule: Undici | undefined;

/**
 * undici, loaded on the first request: a program (and a preview's provider process, which only
 * checks and diffs) imports the sdk for its types and helpers and never sends one; loading
 * undici costs them 0.2–0.4 s of start-up each.
 */
function undici(): Undici {
  return (undiciModule ??= require("undici") as Undici);
}

let sharedAgent: Dispatcher | undefined;

/** One keep-alive pool per process: provider operations run many short-lived clients. */
export function sharedDispatcher(): Dispatcher {
  return (sharedAgent ??= new (undici().Agent)({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 }));
}

/** undici's `request`, for the sdk's other raw calls (presigned uploads). */
export function undiciRequest(...args: Parameters<Undici["request"]>): ReturnType<Undici["request"]> {
  return undici().request(...args);
}

/**
 * The only place that talks HTTP: auth, body encoding, size limit, timeouts, retries with
 * backoff, idempotency keys, request ids and typed errors. Resources stay declarative.
 */
export class Transport {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #defaultHeaders: Record<string, string>;
  /** The caller's, else the shared pool (made on the first request). */
  readonly #dispatcher: Dispatcher | undefined;
  readonly #onEvent: ((e: ClientEvent) => void) | undefined;
  /** Timeouts, retries and size/page bounds, checked once here. */
  readonly limits: Readonly<Limits>;
  readonly #idempotentWrites: boolean;

  constructor(opts: ClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(opts.baseUrl ?? process.env.QODER_BASE_URL);
    this.limits = Object.freeze(resolveLimits(opts));
    this.#token = opts.token || process.env.QODER_PAT || undefined;
    rememberSecret(this.#token);
    this.#defaultHeaders = Object.fromEntries(
      Object.entries(opts.defaultHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    this.#dispatcher = opts.dispatcher;
    this.#onEvent = opts.onEvent;
    this.#idempotentWrites = opts.idempotentWrites ?? false;
  }

  /** Sends and validates a JSON response. */
  async json<T>(spec: RequestSpec, schema: z.ZodType<T>): Promise<T> {
    const res = await this.send(spec);
    return parseResponse(res, schema, spec);
  }

  /** Like `json`, but an empty 2xx body (204) yields `undefined`. */
  async optionalJson<T>(spec: RequestSpec, schema: z.ZodType<T>): Promise<T | undefined> {
    const res = await this.send(spec);
    return res.text.trim() === "" ? undefined : parseResponse(res, schema, spec);
  }

  /** Sends and ignores whatever 2xx body comes back (deletes answer 204 or 200 + body). */
  async void(spec: RequestSpec): Promise<void> {
    await this.send(spec);
  }

  async send(spec: RequestSpec): Promise<RawResponse> {
    const token = this.#token ?? process.env.QODER_PAT;
    if (!token) throw new MissingTokenError();
    rememberSecret(token);
    const opts = spec.options ?? {};
    const timeoutMs = opts.timeoutMs === undefined ? this.limits.timeoutMs : checkLimit("timeoutMs", opts.timeoutMs);
    const maxRetries = opts.maxRetries === undefined ? this.limits.maxRetries : checkLimit("maxRetries", opts.maxRetries);
    const payload = encodeBody(spec.body);
    if (payload && payload.body.length > this.limits.maxBodyBytes) {
      throw new RequestTooLargeError(payload.body.length, this.limits.maxBodyBytes);
    }
    // One key per logical request, reused by every retry so the server can deduplicate.
    const keyed = spec.idempotent || (this.#idempotentWrites && spec.method !== "GET");
    const idempotencyKey = opts.idempotencyKey ?? (keyed ? randomUUID() : undefined);
    const replayable = isReplayable(spec.method, idempotencyKey);
    const url = this.#url(spec.path, spec.query);
    const event = { method: spec.method, path: spec.path };

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        ...this.#defaultHeaders,
        accept: "application/json",
        "user-agent": USER_AGENT,
        authorization: `Bearer ${token}`,
        "x-qoder-retry-count": String(attempt),
      };
      if (payload) headers["content-type"] = payload.contentType;
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      const canRetry = replayable && attempt < maxRetries;

      this.#emit({ kind: "request", ...event, attempt });
      let res: RawResponse;
      try {
        res = await this.#attempt(spec, url, headers, payload?.body, timeoutMs, opts.signal);
      } catch (err) {
        if (!(err instanceof APIConnectionError) || !canRetry) throw err;
        await this.#pause(event, attempt, undefined, this.#backoff(attempt), opts.signal);
        continue;
      }
      this.#emit({ kind: "response", ...event, attempt, status: res.status, requestId: res.requestId });
      if ((res.status >= 200 && res.status < 300) || (spec.returnRedirects && res.status >= 300 && res.status < 400)) {
        opts.onSuccess?.({ status: res.status, requestId: res.requestId, replayed: header(res.headers, "idempotent-replayed") === "true" });
        return res;
      }

      const error = makeAPIError({ status: res.status, body: parseLoose(res.text), requestId: res.requestId, ...event, url });
      if (!canRetry || !isRetryableStatus(res.status, res.headers)) throw error;
      const delay = retryAfterDelay(res.headers, this.limits.maxRetryDelayMs) ?? this.#backoff(attempt);
      await this.#pause(event, attempt, res.status, delay, opts.signal);
    }
  }

  async #attempt(
    spec: RequestSpec,
    url: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    timeoutMs: number,
    userSignal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = userSignal ? AbortSignal.any([timeout.signal, userSignal]) : timeout.signal;
    try {
      // The timer covers the whole attempt, body included: a stalled body must not hang a deploy.
      const res = await undici().request(url, { method: spec.method, headers, body, signal, dispatcher: this.#dispatcher ?? sharedDispatcher() });
      const text = await readCapped(res.body, res.headers, this.limits.maxResponseBytes, `${spec.method} ${url}`);
      return { status: res.statusCode, headers: res.headers, text, requestId: requestIdOf(res.headers, text) };
    } catch (err) {
      if (err instanceof QoderError) throw err; // ours (a too-large body): not a connection problem, not retried
      const what = `${spec.method} ${spec.path}`;
      if (userSignal?.aborted) throw new APIUserAbortError(`${what} was aborted by the caller`, { cause: err });
      if (timeout.signal.aborted) throw new APITimeoutError(`${what} timed out after ${timeoutMs} ms`);
      throw new APIConnectionError(`${what} failed: ${describe(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One streaming GET (Server-Sent Events): auth, headers and typed errors as `send`, but a 2xx
   * body is handed over unread. No retries here: the stream reader resumes with Last-Event-ID.
   * `timeoutMs` covers the wait for the response head only; `signal` closes the connection at any time.
   */
  async openStream(spec: { path: string; headers?: Record<string, string>; timeoutMs?: number }, signal: AbortSignal): Promise<StreamResponse> {
    const token = this.#token ?? process.env.QODER_PAT;
    if (!token) throw new MissingTokenError();
    rememberSecret(token);
    const url = this.#url(spec.path, undefined);
    const event = { method: "GET", path: spec.path };
    const headers = { ...this.#defaultHeaders, accept: "text/event-stream", "user-agent": USER_AGENT, authorization: `Bearer ${token}`, ...spec.headers };
    const timeoutMs = spec.timeoutMs === undefined ? this.limits.timeoutMs : checkLimit("timeoutMs", spec.timeoutMs);
    const head = new AbortController();
    const timer = setTimeout(() => head.abort(), timeoutMs);
    this.#emit({ kind: "request", ...event, attempt: 0 });
    let res: Dispatcher.ResponseData;
    try {
      res = await undici().request(url, { method: "GET", headers, signal: AbortSignal.any([signal, head.signal]), dispatcher: this.#dispatcher ?? sharedDispatcher() });
    } catch (err) {
      if (signal.aborted) throw new APIUserAbortError(`GET ${spec.path} was aborted by the caller`, { cause: err });
      if (head.signal.aborted) throw new APITimeoutError(`GET ${spec.path} timed out after ${timeoutMs} ms`);
      throw new APIConnectionError(`GET ${spec.path} failed: ${describe(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
    const requestId = requestIdOf(res.headers, "");
    this.#emit({ kind: "response", ...event, attempt: 0, status: res.statusCode, requestId });
    if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, headers: res.headers, body: res.body, requestId };
    const text = await readCapped(res.body, res.headers, this.limits.maxResponseBytes, `GET ${url}`);
    throw makeAPIError({ status: res.statusCode, body: parseLoose(text), requestId: requestIdOf(res.headers, text), ...event, url });
  }

  #backoff(attempt: number): number {
    return backoffDelay(attempt, this.limits.retryBaseDelayMs, this.limits.maxRetryDelayMs);
  }

  async #pause(
    event: { method: string; path: string },
    attempt: number,
    status: number | undefined,
    delayMs: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.#emit({ kind: "retry", ...event, attempt, status, delayMs });
    try {
      await sleep(delayMs, signal);
    } catch (err) {
      throw new APIUserAbortError(`${event.method} ${event.path} was aborted by the caller`, { cause: err });
    }
  }

  #emit(e: ClientEvent): void {
    try {
      this.#onEvent?.(e);
    } catch {
      // A faulty debug hook must not break the request.
    }
  }

  #url(path: string, query: Query | undefined): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (Array.isArray(v)) for (const item of v) params.append(k, item);
      else if (v !== undefined && v !== null) params.append(k, String(v));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ""}`;
  }
}

/**
 * The body as text, reading at most `limit` bytes: past it (or when Content-Length already says
 * so) the stream is destroyed, which drops the connection instead of buffering an endless body.
 */
async function readCapped(body: Dispatcher.ResponseData["body"], headers: IncomingHttpHeaders, limit: number, where: string): Promise<string> {
  const length = header(headers, "content-length");
  const declared = length === undefined ? NaN : Number(length);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw new ResponseTooLargeError(limit, where);
  }
  // A declared length within the limit: undici enforces it (a longer body is an error), and its
  // own reader is much cheaper than iterating the stream chunk by chunk.
  if (Number.isFinite(declared)) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new ResponseTooLargeError(limit, where);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

function encodeBody(body: Body | undefined): { body: Buffer; contentType: string } | undefined {
  if (!body) return undefined;
  if ("form" in body) return encodeMultipart(body.form);
  return { body: Buffer.from(JSON.stringify(sortKeys(body.json))), contentType: "application/json" };
}

/**
 * Object keys in sorted order, recursively. The same logical body must give the same bytes
 * across runs (the server fingerprints idempotent requests byte for byte), and objects that
 * went through Pulumi's engine come back with their keys in no particular order.
 */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v; // Dates, Buffers: as JSON.stringify does
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

/** Error bodies: JSON when possible, else the raw text (gateways send HTML or nothing). */
export function parseLoose(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function requestIdOf(headers: IncomingHttpHeaders, text: string): string | undefined {
  const fromHeader = header(headers, "x-request-id") ?? header(headers, "request-id");
  if (fromHeader) return fromHeader;
  // Cheap pre-check so large bodies without a request id are not parsed twice.
  if (!text.includes('"request_id"')) return undefined;
  const body = parseLoose(text);
  const id = body && typeof body === "object" ? (body as Record<string, unknown>).request_id : undefined;
  return typeof id === "string" ? id : undefined;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}
