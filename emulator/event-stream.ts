// The live event stream, `GET /sessions/{id}/events/stream`, as Server-Sent Events.
//
// A connection never holds events of its own: it keeps a cursor (the last event id sent) and,
// when woken, sends what the session's stored log has after it. So a connection sees only
// committed events, in log order, and a resume with Last-Event-ID is the same code path.
import type { ServerResponse } from "node:http";
import type { Db } from "./db";
import type { SessionEvent } from "./session-types";
import { DEFAULT_HEARTBEAT_MS, type StreamFaultConfig } from "./stream-faults";

type Wake = () => void;
const listeners = new WeakMap<Db, Map<string, Set<Wake>>>();

function subscribe(db: Db, sessionId: string, wake: Wake): () => void {
  let bySession = listeners.get(db);
  if (!bySession) listeners.set(db, (bySession = new Map()));
  let set = bySession.get(sessionId);
  if (!set) bySession.set(sessionId, (set = new Set()));
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0) bySession.delete(sessionId);
  };
}

/**
 * Wakes the session's open streams. Deferred to the next turn of the event loop: handlers run
 * synchronously and the server commits (or rolls back) right after, so a stream only ever reads
 * events that are durable.
 */
export function notifySession(db: Db, sessionId: string): void {
  setImmediate(() => {
    for (const wake of [...(listeners.get(db)?.get(sessionId) ?? [])]) wake();
  });
}

/** The SSE frame of one event: its id (for Last-Event-ID), its type as the event name, JSON data. */
export function sseFrame(e: SessionEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

const HEARTBEAT = `event: heartbeat\ndata: {"type":"heartbeat"}\n\n`;
const TERMINAL = "session.status_terminated";

/**
 * Serves one stream connection. `after`: the Last-Event-ID to resume after, or (on a fresh
 * connection) the session's newest event id, so only new events are sent.
 */
export function openEventStream(db: Db, sessionId: string, after: string | undefined, res: ServerResponse, faults: () => StreamFaultConfig): void {
  let cursor = after;
  let sent = 0;
  let closed = false;
  let stalled = false;
  let pumping = false;
  let again = false;

  const events = (): SessionEvent[] | undefined => (Object.hasOwn(db.state.sessions, sessionId) ? db.state.sessionEvents[sessionId] ?? [] : undefined);
  const finish = () => {
    if (closed) return;
    closed = true;
    res.end();
  };

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  const retry = faults().retryMs;
  res.write(retry === undefined ? ": qoder-emulator event stream\n\n" : `retry: ${retry}\n\n`);

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (;;) {
          if (closed || stalled) return;
          const log = events();
          if (!log) return finish(); // the session was deleted (or the emulator reset)
          const next = log.find((e) => cursor === undefined || e.id > cursor);
          if (!next) {
            if (db.state.sessions[sessionId].status === "terminated") return finish(); // nothing will follow
            break;
          }
          const f = faults();
          if (f.eventDelayMs) {
            await new Promise((r) => setTimeout(r, f.eventDelayMs));
            if (closed) return;
          }
          if (f.stallAfterEvents !== undefined && sent >= f.stallAfterEvents) {
            stalled = true;
            return;
          }
          cursor = next.id;
          sent++;
          if (f.dropAfterEvents !== undefined && sent >= f.dropAfterEvents) {
            // Cut the connection once this frame is flushed: the client has it and must resume after it.
            closed = true;
            res.write(sseFrame(next), () => res.socket?.destroy());
            return;
          }
          res.write(sseFrame(next));
          if (next.type === TERMINAL) return finish();
        }
      } while (again);
    } finally {
      pumping = false;
    }
  }

  const wake = () => void pump();
  const unsubscribe = subscribe(db, sessionId, wake);
  const heartbeat = setInterval(() => {
    if (closed || stalled) return;
    if (!events()) return finish();
    res.write(HEARTBEAT);
  }, faults().heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  res.on("close", () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  });
  wake(); // a resume has events to catch up on right away
}
