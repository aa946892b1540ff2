import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { admin, checkAdminRequest } from "./admin";
import { readBody, type Body } from "./body";
import { Db, SaveError } from "./db";
import { ApiError, unauthorized } from "./errors";
import { Faults, type FaultConfig, type FaultKind } from "./faults";
import { DAY_MS, IdempotencyCache } from "./idempotency";
import { requestId } from "./ids";
import { DEFAULT_MODELS, type Model } from "./models";
import { agentRoutes } from "./resources/agents";
import { defaultEnvironment, environmentRoutes } from "./resources/environments";
import { memoryRoutes } from "./resources/memory";
import { skillRoutes } from "./resources/skills";
import { vaultRoutes } from "./resources/vaults";
import { fileRoutes, PRESIGNED_PREFIX, servePresigned } from "./resources/files";
import { sessionRoutes } from "./resources/sessions";
import { match, ok, parseJson, type Ctx, type Match, type Reply, type Route } from "./router";
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from "./skill-zip";
import { Stats } from "./stats";

export const BASE_PATH = "/api/v1/cloud";
export const DEV_TOKEN = "pt-emulator-dev-token";
export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** The PAT accepted as `Authorization: Bearer …` (default: pt-emulator-dev-token). */
  token?: string;
  /** Persist state here (JSON); every acknowledged write is fsynced first. */
  dataFile?: string;
  /** Bytes; larger bodies are truncated → 400 "Request body must be valid JSON." (CN behaviour). */
  bodyLimit?: number;
  faults?: FaultConfig;
  models?: Model[];
  /** Idempotency-Key retention (default 24 h). */
  idempotencyTtlMs?: number;
  /** Create the account's pre-provisioned `default` environment on a fresh start (default true). */
  defaultEnvironment?: boolean;
  /** Bounds on what a skill zip may inflate to (defaults: 16 MiB per entry, 64 MiB in total, 10,000 entries). */
  zipLimits?: Partial<ZipLimits>;
}

const ROUTES: Route[] = [
  ...agentRoutes,
  ...environmentRoutes,
  ...skillRoutes,
  ...vaultRoutes,
  ...memoryRoutes,
  ...sessionRoutes,
  ...fileRoutes,
  { method: "GET", template: "/models", handler: (ctx) => ok({ data: ctx.models, has_more: false }) },
];

const FAULT_ERRORS: Record<Exclude<FaultKind, "reset" | "malformed">, [number, string, string]> = {
  "503": [503, "api_error", "Service temporarily unavailable."],
  "429": [429, "rate_limit_error", "Too many requests."],
  burst: [429, "rate_limit_error", "Too many requests."],
};

interface Incoming {
  req: IncomingMessage;
  found: Match;
  method: string;
  url: URL;
  key?: string;
  raw: Buffer;
  truncated: boolean;
  rid: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const internalError = () => new ApiError(500, "api_error", "Internal server error.");
const notSaved = () => new ApiError(500, "api_error", "Internal server error: the change could not be saved, so it was not applied.");

/** One log line, never a stack trace: what went wrong is in the message. */
const logError = (what: string, e: unknown) => console.error(`qoder-emulator: ${what}: ${e instanceof Error ? e.message : String(e)}`);

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  for (const [k, val] of Object.entries({ ...reply.headers, ...headers })) res.setHeader(k, val);
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
}

export class Emulator {
  readonly db: Db;
  readonly stats = new Stats();
  readonly faults = new Faults();
  readonly server: Server;
  private readonly idempotency: IdempotencyCache;
  readonly token: string;
  private readonly bodyLimit: number;
  private readonly models: Model[];
  private readonly zipLimits: ZipLimits;
  private port = 0;

  constructor(private readonly opts: EmulatorOptions = {}) {
    this.token = opts.token ?? DEV_TOKEN;
    this.bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.models = opts.models ?? DEFAULT_MODELS;
    this.zipLimits = { ...DEFAULT_ZIP_LIMITS, ...opts.zipLimits };
    this.db = new Db(opts.dataFile);
    try {
      if (this.db.fresh) {
        this.seed();
        this.db.commit();
      }
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.idempotency = new IdempotencyCache(() => this.db.idempotency, this.db.secret, opts.idempotencyTtlMs ?? DAY_MS);
    this.faults.set(opts.faults ?? {});
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        logError("unhandled error", e);
        if (!res.headersSent) send(res, { status: 500, body: internalError().body("") });
      });
    });
  }

  private seed(): void {
    if (this.opts.defaultEnvironment === false) return;
    const env = defaultEnvironment();
    this.db.state.environments[env.id] = env;
  }

  /** Back to the starting state: no data, zero counters, no faults (nothing changes if it cannot be saved). */
  reset(): void {
    this.db.reset();
    this.seed();
    this.db.commit();
    this.stats.reset();
    this.faults.set({});
  }

  /** Origins of pages served by this emulator itself: the only ones allowed on the admin surface. */
  private ownOrigins(): string[] {
    const host = this.opts.host ?? "127.0.0.1";
    const hosts = new Set([host.includes(":") ? `[${host}]` : host, "127.0.0.1", "localhost", "[::1]"]);
    return [...hosts].map((h) => `http://${h}:${this.port}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rid = requestId();
    res.setHeader("x-request-id", rid);
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    let body: Body;
    try {
      body = await readBody(req, this.bodyLimit);
    } catch {
      return; // the client went away mid-request: nobody to answer
    }
    const { raw, truncated } = body;
    if (url.pathname.startsWith("/_emulator/")) {
      this.answer(res, rid, () => {
        checkAdminRequest({ headers: req.headers, method, raw, token: this.token, origins: this.ownOrigins() });
        return admin(this, method, url.pathname, raw);
      });
      return;
    }
    if (url.pathname.startsWith(PRESIGNED_PREFIX)) {
      servePresigned(this.db, req, res, url); // the presigned "storage host": no API token, no faults
      return;
    }
    if (!url.pathname.startsWith(`${BASE_PATH}/`)) {
      this.answer(res, rid, () => {
        throw new ApiError(404, "not_found_error", `Route ${method} ${url.pathname} was not found.`);
      });
      return;
    }

    const path = url.pathname.slice(BASE_PATH.length);
    let found: Match;
    try {
      found = match(ROUTES, method, path);
    } catch {
      found = undefined; // undecodable %-escape in an id
    }
    const route = !found ? "(unmatched)" : "route" in found ? found.route.template : found.template;
    const key = method === "GET" ? undefined : ((req.headers["idempotency-key"] ?? req.headers["x-idempotency-key"]) as string | undefined);
    const entry = this.stats.begin({ method, route, path, idempotencyKey: key });
    const log = (status: number, fault?: string) => this.stats.end(entry, status, fault);

    // Gateway faults come first: a faulted request never reaches the handler.
    const latency = this.faults.latency(method);
    if (latency > 0) await sleep(latency);
    const fault = this.faults.decide(method);
    if (fault) {
      log(this.injectFault(fault, req, res, rid), fault);
      return;
    }
    const { reply, headers } = this.execute({ req, found, method, url, key, raw, truncated, rid });
    if (reply.stream) reply.stream(res, () => this.faults.config.stream ?? {});
    else send(res, reply, headers);
    log(reply.status, latency > 0 ? "latency" : undefined);
  }

  /** Sends a handler's reply, or its error as the error envelope. */
  private answer(res: ServerResponse, rid: string, handler: () => Reply): void {
    try {
      send(res, handler());
    } catch (e) {
      const err = e instanceof ApiError ? e : e instanceof SaveError ? notSaved() : internalError();
      if (!(e instanceof ApiError)) logError(e instanceof SaveError ? "write refused" : "internal error", e);
      send(res, { status: err.status, body: err.body(rid) }, err.headers);
    }
  }

  /** Answers (or drops) a request as the gateway would; returns the status logged (0 = reset). */
  private injectFault(fault: FaultKind, req: IncomingMessage, res: ServerResponse, rid: string): number {
    if (fault === "reset") {
      req.socket.destroy();
      return 0;
    }
    if (fault === "malformed") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"type":"agent","id":"agent_');
      return 200;
    }
    const [status, type, message] = FAULT_ERRORS[fault];
    const retryAfter = this.faults.retryAfter(fault);
    const e = new ApiError(status, type, message, undefined, retryAfter ? { "retry-after": retryAfter } : {});
    send(res, { status, body: e.body(rid) }, e.headers);
    return status;
  }

  private execute(r: Incoming): { reply: Reply; headers?: Record<string, string> } {
    const error = (e: ApiError) => ({ reply: { status: e.status, body: e.body(r.rid) }, headers: e.headers });
    if (r.req.headers.authorization !== `Bearer ${this.token}`) return error(unauthorized());
    const { found } = r;
    if (!found) return error(new ApiError(404, "not_found_error", `Route ${r.method} ${r.url.pathname} was not found.`));
    if (!("route" in found)) {
      const allow = { allow: found.allowed.join(", ") };
      return error(new ApiError(405, "invalid_request_error", `Method ${r.method} is not allowed on ${found.template}.`, undefined, allow));
    }
    const scope = r.key ? this.idempotency.scope(this.token, r.key) : undefined;
    const fingerprint = this.idempotency.fingerprint(r.method, r.url.pathname + r.url.search, r.raw);
    if (scope) {
      try {
        const hit = this.idempotency.lookup(scope, fingerprint);
        if (hit) return { reply: { status: hit.status, body: hit.body }, headers: { "idempotent-replayed": "true" } };
      } catch (e) {
        if (e instanceof ApiError) return error(e); // reused with another body: keep the original record
        throw e;
      }
    }
    const write = r.method !== "GET";
    let result: { reply: Reply; headers?: Record<string, string> };
    try {
      const reply = found.route.handler(this.context(r, found.params));
      // Snapshot the body: handlers return live state objects that later writes mutate.
      result = { reply: reply.body === undefined ? reply : { ...reply, body: JSON.parse(JSON.stringify(reply.body)) } };
    } catch (e) {
      // A refused (or failed) request changes nothing, whatever the handler did before throwing.
      if (write) this.db.rollback();
      if (!(e instanceof ApiError)) {
        logError(`internal error in ${r.method} ${found.route.template}`, e);
        return error(internalError()); // 5xx: not remembered for the key, so a retry runs again
      }
      result = error(e);
    }
    if (!write) return result;
    const { reply } = result;
    if (scope && reply.status < 500) this.idempotency.remember(scope, fingerprint, reply.status, reply.body);
    if (reply.status < 400 || scope) {
      try {
        this.db.commit();
      } catch (e) {
        // The change and its idempotency record were put back: refuse, so the client's retry runs again.
        logError("write refused", e);
        return error(notSaved());
      }
    }
    return result;
  }

  private context(r: Incoming, params: Record<string, string>): Ctx {
    return {
      db: this.db,
      state: this.db.state,
      params,
      query: r.url.searchParams,
      headers: r.req.headers,
      raw: r.raw,
      truncated: r.truncated,
      models: this.models,
      zipLimits: this.zipLimits,
      json: () => parseJson(r.raw, r.truncated),
    };
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", (e) => {
        this.db.close(); // never started: free the data file again
        reject(e);
      });
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? "127.0.0.1", () => {
        this.server.removeAllListeners("error");
        const addr = this.server.address();
        this.port = typeof addr === "object" && addr ? addr.port : 0;
        resolve(this.port);
      });
    });
  }

  /** Stops serving and releases the data file. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        this.db.close();
        resolve();
      });
      this.server.closeAllConnections();
    });
  }
}
