/**
 * The one place that removes credentials from text the client produces (error messages, body
 * excerpts, causes). Gateways may echo the Authorization header into an error body; CI prints
 * error messages. Every token a client uses is remembered here so that it is redacted wherever
 * it shows up, and any `Bearer …` credential is redacted whoever it belongs to.
 */

export const REDACTED = "[REDACTED]";

/** Shorter strings are not treated as secrets: replacing them would garble ordinary words. */
const MIN_SECRET_LENGTH = 8;
const secrets = new Set<string>();
const BEARER = /\b(Bearer)\s+[^\s"'`,;<>]+/gi;

/** Called with every token the client sends. Kept in memory only, never exposed. */
export function rememberSecret(token: string | undefined): void {
  if (token && token.length >= MIN_SECRET_LENGTH) secrets.add(token);
}

export function redact(text: string): string {
  let out = text.replace(BEARER, `$1 ${REDACTED}`);
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** A copy of a JSON-like value (an error body) with every string redacted. */
export function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
}

/**
 * A stand-in for an underlying error (undici's, the caller's abort reason) that keeps what helps
 * debugging (name, message, code, cause chain) with credentials removed.
 */
export function redactCause(cause: unknown, depth = 0): unknown {
  if (!(cause instanceof Error)) return typeof cause === "string" ? redact(cause) : cause;
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  copy.stack = cause.stack === undefined ? undefined : redact(cause.stack);
  const code = (cause as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  if (cause.cause !== undefined && depth < 5) copy.cause = redactCause(cause.cause, depth + 1);
  return copy;
}

/** `https://user:pass@host/…` → `https://***@host/…`; also for strings that are not valid URLs. */
export function maskUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@\s]*@/i, "$1***@");
}
