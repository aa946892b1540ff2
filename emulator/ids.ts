import { randomInt } from "node:crypto";

// IDs are `<prefix>_` + 12 hex of ms time + 20 hex of a counter, so a descending string sort
// is newest-first (the API orders every list by descending ID).
let lastMs = 0;
let counter = BigInt(randomInt(0, 2 ** 32));

export function newId(prefix: string): string {
  const ms = Math.max(Date.now(), lastMs);
  lastMs = ms;
  counter += 1n;
  return `${prefix}_${ms.toString(16).padStart(12, "0")}${counter.toString(16).padStart(20, "0")}`;
}

// Microsecond timestamps like the docs ("2026-05-18T15:26:39.61669Z": trailing zeros trimmed).
let lastMicros = 0;

export function nowIso(): string {
  const micros = Math.max(Math.floor((performance.timeOrigin + performance.now()) * 1000), lastMicros + 1);
  lastMicros = micros;
  const base = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
  const frac = String(micros % 1_000_000).padStart(6, "0").replace(/0+$/, "");
  return `${base}${frac ? "." + frac : ""}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** Microseconds since the epoch, or NaN when the string is not an RFC 3339 timestamp. */
export function parseIsoMicros(value: string): number {
  const m = RFC3339.exec(value);
  if (!m) return NaN;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  return ms * 1000 + Number((m[2] ?? "").padEnd(6, "0").slice(0, 6));
}

export function requestId(): string {
  return `req_${newId("x").slice(2)}`;
}
