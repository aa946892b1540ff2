// The live session event stream as an async iterator: SSE over one long GET, resumed with
// Last-Event-ID whenever the connection drops, so the caller sees every event once, in order.
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError, ResponseValidationError } from "./errors";
import { backoffDelay, isRetryableStatus, sleep } from "./retry";
import { SessionEventSchema, SessionSchema, type SessionEvent } from "./schemas/session";
import { SseParser, type SseMessage } from "./sse";
import type { Transport } from "./transport";
import { parseResponse } from "./validate";

export interface EventStreamOptions {
  /**
   * Start after this event id (sent as Last-Event-ID), e.g. the id of the event you just sent.
   * Default: only events that happen after the stream connects.
   */
  after?: string;
  /** Also end after a `session.status_idle` (the turn is over, or waits for an action). Default: only a terminated session ends it. */
  untilIdle?: boolean;
  /** Fail with StreamIdleTimeoutError when nothing at all, not even a heartbeat, arrives for this long. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Reconnects in a row that bring no event before giving up. Default: the client's `maxRetries`. */
  maxReconnects?: number;
  /** Wait for the response head of each connection at most this long (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** Aborting ends the iteration quietly, like `break`. */
  signal?: AbortSignal;
}

export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

/** The stream stayed silent (no event, no heartbeat) past `idleTimeoutMs`. `lastEventId` resumes it. */
export class StreamIdleTimeoutError extends APITimeoutError {
  constructor(
    message: string,
    readonly lastEventId: string | undefined,
  ) {
    super(message);
  }
}

const TERMINAL = "session.status_terminated";
const HEARTBEATS = new Set(["heartbeat", "ping"]);
/** Ids remembered to drop an event a server repeats across a resume; bounded so a long stream stays small. */
const REMEMBERED_IDS = 10_000;

class RecentIds {
  readonly #ids = new Set<string>();
  has(id: string): boolean {
    return this.#ids.has(id);
  }
  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > REMEMBERED_IDS) this.#ids.delete(this.#ids.values().next().value as string);
  }
}

const isHeartbeat = (m: SseMessage) => HEARTBEATS.has(m.event) || /^\s*\{\s*"type"\s*:\s*"(heartbeat|ping)"\s*\}\s*$/.test(m.data);

/** Connection trouble worth a reconnect: drops, resets, timeouts before the head, 408/429/5xx. */
function resumable(err: unknown): boolean {
  if (err instanceof APIError) return isRetryableStatus(err.status, {});
  return !(err instanceof APIUserAbortError || err instanceof ResponseValidationError);
}

export async function* streamSessionEvents(t: Transport, sessionId: string, opts: EventStreamOptions = {}): AsyncGenerator<SessionEvent, void, undefined> {
  const path = `/sessions/${encodeURIComponent(sessionId)}/events/stream`;
  const what = `GET ${path}`;
  const idleMs = opts.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const maxReconnects = opts.maxReconnects ?? t.limits.maxRetries;
  const seen = new RecentIds();
  let lastId = opts.after;
  let retryMs: number | undefined;
  let fruitless = 0; // connections in a row that delivered no event

  for (;;) {
    if (opts.signal?.aborted) return;
    const conn = new AbortController();
    const stop = () => conn.abort();
    opts.signal?.addEventListener("abort", stop, { once: true });
    let idleTimer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let failure: unknown;
    try {
      const res = await t.openStream({ path, headers: lastId ? { "last-event-id": lastId } : {}, timeoutMs: opts.timeoutMs }, conn.signal);
      const parser = new SseParser();
      const arm = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          timedOut = true;
          conn.abort();
        }, idleMs);
      };
      arm();
      for await (const chunk of res.body) {
        arm();
        for (const msg of parser.feed(chunk)) {
          if (isHeartbeat(msg)) continue;
          const event = parseResponse({ text: msg.data, requestId: res.requestId }, SessionEventSchema, { method: "GET", path });
          const id = msg.id || event.id;
          lastId = id;
          if (seen.has(id)) continue;
          seen.add(id);
          fruitless = -1; // this connection made progress
          yield event;
          if (event.type === TERMINAL || (opts.untilIdle && event.type === "session.status_idle")) return;
        }
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
      }
      parser.end();
    } catch (err) {
      if (opts.signal?.aborted) return;
      if (timedOut) {
        throw new StreamIdleTimeoutError(
          `${what}: nothing arrived (not even a heartbeat) for ${idleMs} ms (idleTimeoutMs)${lastId ? `; resume with after: "${lastId}"` : ""}`,
          lastId,
        );
      }
      if (!resumable(err)) throw err;
      failure = err;
    } finally {
      clearTimeout(idleTimer);
      opts.signal?.removeEventListener("abort", stop);
      conn.abort(); // break/return in the caller's loop closes the connection
    }

    // The server ended the stream: a terminated session has nothing more to say.
    if (failure === undefined) {
      const session = await t.json({ method: "GET", path: `/sessions/${encodeURIComponent(sessionId)}`, options: { signal: opts.signal } }, SessionSchema);
      if (session.status === "terminated") return;
    }
    fruitless++;
    if (fruitless > maxReconnects) {
      const why = failure instanceof Error ? failure.message : "the server kept closing the stream";
      throw new APIConnectionError(`${what}: gave up after ${fruitless} reconnects without an event (${why})`, { cause: failure });
    }
    try {
      await sleep(Math.min(retryMs ?? backoffDelay(Math.max(fruitless - 1, 0), t.limits.retryBaseDelayMs, t.limits.maxRetryDelayMs), t.limits.maxRetryDelayMs), opts.signal);
    } catch {
      return; // aborted while waiting
    }
  }
}
