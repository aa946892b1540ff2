import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { Db } from "./db";
import { badRequest, invalidJson } from "./errors";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth";
import type { Model } from "./models";
import type { ZipLimits } from "./skill-zip";
import type { State } from "./types";
import type { StreamFaultConfig } from "./stream-faults";
import { isObject, type Json } from "./validate";

export interface Ctx {
  db: Db;
  state: State;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The body exceeded the limit and was cut, as the real gateway does. */
  truncated: boolean;
  models: Model[];
  zipLimits: ZipLimits;
  json(): Json;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Response headers of a success (a redirect's `location`). */
  headers?: Record<string, string>;
  /** A long-lived answer (the SSE event stream): the server hands over the response instead of sending `body`. */
  stream?: (res: ServerResponse, streamFaults: () => StreamFaultConfig) => void;
}

export type Handler = (ctx: Ctx) => Reply;

export interface Route {
  method: string;
  /** Path below /api/v1/cloud with `{name}` placeholders; also the route name in stats. */
  template: string;
  handler: Handler;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/** A route per method, so PUT and POST updates share one handler. */
export const on = (methods: string[], template: string, handler: Handler): Route[] =>
  methods.map((method) => ({ method, template, handler }));

/** JSON body of a request: empty → {}, cut or malformed → the documented 400; too deep → 400. */
export function parseJson(raw: Buffer, truncated: boolean): Json {
  if (truncated) throw invalidJson();
  const text = raw.toString("utf8").trim();
  if (!text) return {};
  if (nestsDeeperThan(text)) throw badRequest(`Request body must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  if (!isObject(value)) throw badRequest("Request body must be a JSON object.");
  return value;
}

function params(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    if (t[i].startsWith("{")) {
      if (!p[i]) return undefined;
      out[t[i].slice(1, -1)] = decodeURIComponent(p[i]);
    } else if (t[i] !== p[i]) return undefined;
  }
  return out;
}

export type Match = { route: Route; params: Record<string, string> } | { template: string; allowed: string[] } | undefined;

/** The route for method + path, or the templates' allowed methods when only the method is wrong (→ 405). */
export function match(routes: Route[], method: string, path: string): Match {
  let template: string | undefined;
  const allowed: string[] = [];
  for (const route of routes) {
    const found = params(route.template, path);
    if (!found) continue;
    if (route.method === method) return { route, params: found };
    template ??= route.template;
    allowed.push(route.method);
  }
  return template ? { template, allowed } : undefined;
}
