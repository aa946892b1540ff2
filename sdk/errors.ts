/** Typed errors raised by the Qoder client. None of them ever carries the API token. */

import { redact, redactCause, redactDeep } from "./redact";

export class QoderError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    // Redacted here, before Error captures the stack, so no subclass can leak a credential.
    super(message === undefined ? undefined : redact(message), options && { cause: redactCause(options.cause) });
    // Every subclass reports its own class name without repeating it.
    this.name = new.target.name;
  }
}

/**
 * No token was given and QODER_PAT is unset. Raised when a request is made, not at construction.
 * `how` says where this caller reads its token from (the provider names its stack config).
 */
export class MissingTokenError extends QoderError {
  constructor(how = "pass `token` to QoderClient or set the QODER_PAT environment variable") {
    super(`No Qoder token: ${how}.`);
  }
}

/** The request body exceeds `maxBodyBytes`; raised before anything is sent. */
export class RequestTooLargeError extends QoderError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`request body is ${formatMB(size)}, over the ${formatMB(limit)} limit (maxBodyBytes)`);
  }
}

function formatMB(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? formatMB(bytes) : `${Math.round(bytes / 1024)} KB`;
}

/** The response body exceeded `maxResponseBytes`; the read was stopped and the connection dropped. */
export class ResponseTooLargeError extends QoderError {
  constructor(
    readonly limit: number,
    where: string,
  ) {
    super(`${where}: the response exceeds ${formatSize(limit)} (maxResponseBytes); the read was stopped`);
  }
}

/** A list that cannot end: a cursor that does not advance, or more pages than `maxListPages`. */
export class PaginationError extends QoderError {}

/** The server answered, but not with what the contract promises (bad JSON, missing field, wrong type). */
export class ResponseValidationError extends QoderError {
  constructor(
    message: string,
    /** Dotted path of the first offending field, e.g. `data[0].id`; `(body)` when the body itself is unusable. */
    readonly path: string,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** The request never got an HTTP response (refused, reset, DNS, TLS...). */
export class APIConnectionError extends QoderError {}

/** An attempt exceeded its `timeoutMs` (and retries, if allowed, were exhausted). */
export class APITimeoutError extends APIConnectionError {}

/** The caller's AbortSignal fired; never retried. */
export class APIUserAbortError extends QoderError {}

export interface APIErrorInit {
  status: number;
  body: unknown;
  requestId: string | undefined;
  method: string;
  path: string;
  /** The full URL called; named by errors that point at a wrong base URL. */
  url?: string;
}

/** The server returned a non-2xx status. `type`/`param` come from the Qoder error envelope. */
export class APIError extends QoderError {
  readonly status: number;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;
  /** The server's message alone; `message` adds status, type and request id. */
  readonly serverMessage: string;

  constructor(init: APIErrorInit, explanation?: string) {
    const body = redactDeep(init.body);
    const detail = errorDetail(body);
    const serverMessage = detail.message ?? `${init.method} ${init.path} failed`;
    const context = [detail.param && `param ${detail.param}`, init.requestId && `request ${init.requestId}`].filter(Boolean);
    super(
      `${init.status} ${detail.type ?? "error"}: ${serverMessage}${context.length ? ` (${context.join(", ")})` : ""}` +
        (explanation ? ` — ${explanation}` : ""),
    );
    this.status = init.status;
    this.type = detail.type;
    this.param = detail.param;
    this.requestId = init.requestId;
    this.body = body;
    this.serverMessage = serverMessage;
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}

/**
 * The API's own not-found for the object asked about: the documented envelope
 * `{"type":"error","error":{"type":"not_found_error","message":"<Kind> '<id>' was not found."}}`
 * naming an id of the request path (the object or its parent). Only this means "gone".
 */
export class NotFoundError extends APIError {}

/**
 * Any other 404: a router's "no such route", a proxy's HTML page, an empty body. Almost always a
 * wrong base URL, so it must never be read as "the object was deleted".
 */
export class EndpointNotFoundError extends APIError {
  constructor(init: APIErrorInit) {
    super(
      init,
      `${init.method} ${init.url ?? init.path} did not answer with the Qoder API's "not found" for an object, ` +
        `so the base URL is probably wrong. It must end in /api/v1/cloud (cn: https://api.qoder.com.cn/api/v1/cloud, ` +
        `global: https://api.qoder.com/api/v1/cloud) and point at the region that holds your objects; ` +
        `set it with baseUrl / QODER_BASE_URL (Pulumi: qoder:baseUrl or qoder:region)`,
    );
  }
}

export class ConflictError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

const byStatus: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

export function makeAPIError(init: APIErrorInit): APIError {
  if (init.status === 404 && !isApiNotFound(init.body, init.path)) return new EndpointNotFoundError(init);
  const Ctor = byStatus[init.status] ?? (init.status >= 500 ? InternalServerError : APIError);
  return new Ctor(init);
}

/**
 * The documented not-found envelope, naming (in quotes) one of the ids in the request path. Ids
 * sit at the odd positions of every Qoder path (`/vaults/{id}/credentials/{id}`), so a message
 * quoting a collection name (`'agents'`) does not count.
 */
function isApiNotFound(body: unknown, path: string): boolean {
  const error = envelopeError(body);
  if (error?.type !== "not_found_error" || typeof error.message !== "string") return false;
  const named = [...error.message.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const ids = path.split("?")[0]!.split("/").filter(Boolean).filter((_, i) => i % 2 === 1).map(safeDecode);
  return named.some((id) => ids.includes(id));
}

/** The `error` object of Qoder's documented envelope `{"type":"error","error":{type,message,...}}`, if the body is one. */
export function envelopeError(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== "object") return undefined;
  const rec = body as Record<string, unknown>;
  const error = rec.error;
  if (rec.type !== "error" || !error || typeof error !== "object" || typeof (error as Record<string, unknown>).type !== "string") return undefined;
  return error as Record<string, unknown>;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Reads `{error: {type, message, param}}`, tolerating a bare `{type, message}` or a text body. */
function errorDetail(body: unknown): { type?: string; message?: string; param?: string } {
  if (typeof body === "string") return body.trim() ? { message: body.trim().slice(0, 500) } : {};
  if (!body || typeof body !== "object") return {};
  const rec = body as Record<string, unknown>;
  const inner = rec.error && typeof rec.error === "object" ? (rec.error as Record<string, unknown>) : rec;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return { type: str(inner.type) ?? str(inner.code), message: str(inner.message), param: str(inner.param) };
}
