import { badRequest } from "./errors";
import { isObject } from "./validate";

/**
 * Faults and tuning of `GET /sessions/{id}/events/stream`, set as `stream` in `PUT /_emulator/faults`.
 * They apply to every stream connection opened (or already open) while they are set.
 */
export interface StreamFaultConfig {
  /** Cut each connection (socket destroyed, no terminator) after it has sent this many events. */
  dropAfterEvents?: number;
  /** After this many events the connection goes silent: no events, no heartbeats, never closed. */
  stallAfterEvents?: number;
  /** A slow stream: wait this long before sending each event. */
  eventDelayMs?: number;
  /** Heartbeat interval (default 15 000, as documented). */
  heartbeatMs?: number;
  /** Send an SSE `retry:` field with this reconnection delay when a connection opens. */
  retryMs?: number;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;

const KEYS = ["dropAfterEvents", "stallAfterEvents", "eventDelayMs", "heartbeatMs", "retryMs"] as const;

export function parseStreamFaults(value: unknown): StreamFaultConfig {
  if (!isObject(value)) throw badRequest("stream must be an object.", "stream");
  const out: StreamFaultConfig = {};
  for (const key of KEYS) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    const min = key === "heartbeatMs" ? 1 : 0;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw badRequest(`stream.${key} must be an integer ≥ ${min}.`, `stream.${key}`);
    out[key] = v;
  }
  return out;
}
