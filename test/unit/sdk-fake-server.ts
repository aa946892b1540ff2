// Scripted HTTP server on 127.0.0.1:0 for SDK unit tests: each request takes the next reply
// from a queue (or the fallback), and every request is recorded for assertions.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { QoderClient, type ClientEvent, type ClientOptions } from "../../sdk";

export const TOKEN = "pt-SECRET-token-1234567890abcdef";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): any;
  /** Bytes of a `stream` reply written so far, and a promise settled when its response closes. */
  sentBytes: number;
  closed: Promise<void>;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Wait before answering (timeouts). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /**
   * Stream `bytes` of filler in 64 KiB chunks, honouring backpressure, so a test can send far
   * more than it holds in memory; it stops as soon as the client goes away.
   */
  stream?: { bytes: number };
}

export type Responder = Reply | ((req: Recorded) => Reply);

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** Queue replies for the next requests, in order. */
  reply(...replies: Responder[]): void;
  /** Answer for requests once the queue is empty (default: 500). */
  fallback: Responder;
  client(opts?: ClientOptions): QoderClient;
  events: ClientEvent[];
}

const defaultFallback: Reply = { status: 500, json: { type: "error", error: { type: "api_error", message: "no scripted reply" } } };

/** One server per test file, with fresh script, records and fallback for every test. */
export function useFakeServer(): FakeServer {
  const queue: Responder[] = [];
  const requests: Recorded[] = [];
  const events: ClientEvent[] = [];
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const body = Buffer.concat(chunks);
      const closed = new Promise<void>((r) => res.once("close", () => r()));
      const rec: Recorded = {
        method: req.method ?? "",
        path: url.pathname.replace(/^\/api\/v1\/cloud/, ""),
        query: url.searchParams,
        headers: req.headers,
        body,
        json: () => JSON.parse(body.toString("utf8")),
        sentBytes: 0,
        closed,
      };
      requests.push(rec);
      const next = queue.shift() ?? fake.fallback;
      const reply = typeof next === "function" ? next(rec) : next;
      setTimeout(() => {
        if (reply.reset) return void req.socket.destroy();
        if (reply.stream) return streamFiller(res.writeHead(reply.status ?? 200, reply.headers), reply.stream.bytes, rec);
        const text = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
        const headers: Record<string, string> = { ...(reply.json !== undefined && { "content-type": "application/json" }), ...reply.headers };
        if (!res.destroyed) res.writeHead(reply.status ?? 200, headers).end(text);
      }, reply.delayMs ?? 0);
    });
  });
  const fake: FakeServer = {
    url: "",
    requests,
    events,
    fallback: defaultFallback,
    reply: (...r) => void queue.push(...r),
    client: (opts) =>
      new QoderClient({
        token: TOKEN,
        baseUrl: `${fake.url}/api/v1/cloud`,
        retryBaseDelayMs: 10,
        dispatcher,
        onEvent: (e) => events.push(e),
        ...opts,
      }),
  };
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    queue.length = requests.length = events.length = 0;
    fake.fallback = defaultFallback;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await dispatcher.close();
  });
  return fake;
}

const FILLER = Buffer.alloc(64 * 1024, "x");

function streamFiller(res: ServerResponse, bytes: number, rec: Recorded): void {
  const write = (): void => {
    while (!res.destroyed) {
      if (rec.sentBytes >= bytes) return void res.end();
      const chunk = FILLER.subarray(0, Math.min(FILLER.length, bytes - rec.sentBytes));
      rec.sentBytes += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", write);
    }
  };
  write();
}

/** API-shaped fixtures. */
export const ts = "2026-05-18T15:26:39.61669Z";

export function agent(id = "agent_1", extra: Record<string, unknown> = {}) {
  return { type: "agent", id, name: "a", description: "", model: "ultimate", system: "", tools: [], mcp_servers: [], skills: [], metadata: {}, version: 1, archived: false, archived_at: null, created_at: ts, updated_at: ts, ...extra };
}

export function page<T>(data: T[], has_more: boolean, idOf: (t: T) => string = (t: any) => t.id) {
  return { data, first_id: data.length ? idOf(data[0]!) : null, last_id: data.length ? idOf(data[data.length - 1]!) : null, has_more };
}

export function apiError(status: number, type: string, message: string, param?: string): Reply {
  return { status, json: { type: "error", error: { type, message, ...(param && { param }) } } };
}
