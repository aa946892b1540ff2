/** Typed errors raised by the Qoder client. None of them ever carries the API token. */

export class QoderError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    // Every subclass reports its own class name without repeating it.
    this.name = new.target.name;
  }
}

/** No token was given and QODER_PAT is unset. Raised when a request is made, not at construction. */
export class MissingTokenError extends QoderError {
  constructor() {
    super("no Qoder API token: pass `token` to QoderClient or set the QODER_PAT environment variable");
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

  constructor(init: APIErrorInit) {
    const detail = errorDetail(init.body);
    const serverMessage = detail.message ?? `${init.method} ${init.path} failed`;
    const context = [detail.param && `param ${detail.param}`, init.requestId && `request ${init.requestId}`].filter(Boolean);
    super(
      `${init.status} ${detail.type ?? "error"}: ${serverMessage}${context.length ? ` (${context.join(", ")})` : ""}`,
    );
    this.status = init.status;
    this.type = detail.type;
    this.param = detail.param;
    this.requestId = init.requestId;
    this.body = init.body;
    this.serverMessage = serverMessage;
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
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
  const Ctor = byStatus[init.status] ?? (init.status >= 500 ? InternalServerError : APIError);
  return new Ctor(init);
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
