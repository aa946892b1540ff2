import { QoderError } from "../errors";
import { streamSessionEvents, type EventStreamOptions } from "../event-stream";
import type { RequestOptions } from "../options";
import type { Paginator } from "../pagination";
import {
  DeletedSchema,
  EventListSchema,
  SessionEventSchema,
  SessionResourceSchema,
  SessionSchema,
  type Deleted,
  type EventListParams,
  type Session,
  type SessionCreate,
  type SessionEvent,
  type SessionListParams,
  type SessionResource,
  type SessionResourceCreate,
  type SessionUpdate,
  type UserEvent,
} from "../schemas/session";
import type { Transport } from "../transport";
import { Collection, path } from "./collection";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = ["SERVER_ENDPOINT", "USER_ID", "WORK_DIR"];
const RESERVED_PREFIXES = ["CAW_", "QODER_"];

/**
 * `{K: "V"}` → the API's `"K=V;K2=V2"`, refusing before sending what the API would refuse
 * (names `[A-Za-z_][A-Za-z0-9_]*`, reserved names and prefixes) and what the format cannot
 * carry (a `;` in a value). Values are never put in the error message: they may be secrets.
 */
export function encodeEnvironmentVariables(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => {
      const bad = (why: string) => new QoderError(`environment_variables: ${JSON.stringify(name)} ${why}`);
      if (!NAME.test(name)) throw bad("is not a valid name ([A-Za-z_][A-Za-z0-9_]*)");
      if (RESERVED.includes(name)) throw bad("is reserved by the platform");
      if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) throw bad(`uses a reserved prefix (${RESERVED_PREFIXES.join(", ")})`);
      if (typeof value !== "string") throw bad("must have a string value");
      if (value.includes(";")) throw bad("has a value containing ';', which the NAME=value;… form cannot carry");
      return `${name}=${value}`;
    })
    .join(";");
}

/** `/sessions/{id}/resources`: files, GitHub repositories and memory stores mounted into a session. */
export class SessionResources {
  readonly #c: Collection<SessionResource>;
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
    this.#c = new Collection(t, SessionResourceSchema);
  }

  add(sessionId: string, body: SessionResourceCreate, o?: RequestOptions): Promise<SessionResource> {
    return this.#c.create(path("sessions", sessionId, "resources"), { json: body }, o);
  }

  get(sessionId: string, resourceId: string, o?: RequestOptions): Promise<SessionResource> {
    return this.#c.get(path("sessions", sessionId, "resources", resourceId), undefined, o);
  }

  list(sessionId: string, q?: { limit?: number; after_id?: string; before_id?: string }, o?: RequestOptions): Paginator<SessionResource> {
    return this.#c.list(path("sessions", sessionId, "resources"), q, o);
  }

  async delete(sessionId: string, resourceId: string, o?: RequestOptions): Promise<Deleted> {
    const res = await this.#t.optionalJson({ method: "DELETE", path: path("sessions", sessionId, "resources", resourceId), options: o }, DeletedSchema);
    return res ?? { id: resourceId, type: "session_resource_deleted" };
  }
}

/** `/sessions/{id}/events`: send, list, and the live stream. */
export class SessionEvents {
  readonly #t: Transport;
  readonly #list: Collection<SessionEvent>;

  constructor(t: Transport) {
    this.#t = t;
    this.#list = new Collection(t, SessionEventSchema);
  }

  /**
   * Sends `{events}`; answers the accepted events with their ids. Carries an Idempotency-Key, so a
   * retry cannot start a second turn. Pass the last id as `stream(…, {after})` to read what follows.
   */
  async send(sessionId: string, events: UserEvent[], o?: RequestOptions): Promise<SessionEvent[]> {
    const res = await this.#t.json(
      { method: "POST", path: path("sessions", sessionId, "events"), body: { json: { events } }, idempotent: true, options: o },
      EventListSchema,
    );
    return res.data;
  }

  /** Chronological by default; `types` filters (sent as `types[]`). */
  list(sessionId: string, q: EventListParams = {}, o?: RequestOptions): Paginator<SessionEvent> {
    const { types, ...rest } = q;
    return this.#list.list(path("sessions", sessionId, "events"), { ...rest, ...(types?.length ? { "types[]": types } : {}) }, o);
  }

  /**
   * The live stream (`GET …/events/stream`, SSE) as typed events. Resumes after a dropped
   * connection with Last-Event-ID and yields each event once, in order; skips heartbeats; ends on
   * `break`, on `signal`, when the session is terminated (or, with `untilIdle`, goes idle).
   */
  stream(sessionId: string, opts?: EventStreamOptions): AsyncGenerator<SessionEvent, void, undefined> {
    return streamSessionEvents(this.#t, sessionId, opts);
  }
}

export class Sessions {
  readonly #c: Collection<Session>;
  readonly #t: Transport;
  readonly resources: SessionResources;
  readonly events: SessionEvents;

  constructor(t: Transport) {
    this.#t = t;
    this.#c = new Collection(t, SessionSchema);
    this.resources = new SessionResources(t);
    this.events = new SessionEvents(t);
  }

  /** `agent`: an id (latest version) or `{type:"agent", id, version}` (pinned). */
  create(body: SessionCreate, o?: RequestOptions): Promise<Session> {
    const vars = body.environment_variables;
    const json = vars === undefined || typeof vars === "string" ? body : { ...body, environment_variables: encodeEnvironmentVariables(vars) };
    return this.#c.create("/sessions", { json }, o);
  }

  get(id: string, o?: RequestOptions): Promise<Session> {
    return this.#c.get(path("sessions", id), undefined, o);
  }

  /** Archived sessions are left out unless `include_archived`. */
  list(q?: SessionListParams, o?: RequestOptions): Paginator<Session> {
    return this.#c.list("/sessions", q, o);
  }

  /** POST with `title` and/or a metadata patch (`null` deletes a key). */
  update(id: string, body: SessionUpdate, o?: RequestOptions): Promise<Session> {
    return this.#c.update("POST", path("sessions", id), body, o);
  }

  /** Hides the session from default lists; its status does not change. */
  archive(id: string, o?: RequestOptions): Promise<Session> {
    return this.#c.archive(path("sessions", id), o);
  }

  /** Stops the running turn (if any). */
  cancel(id: string, o?: RequestOptions): Promise<Session> {
    return this.#t.json({ method: "POST", path: path("sessions", id, "cancel"), idempotent: true, options: o }, SessionSchema);
  }

  async delete(id: string, o?: RequestOptions): Promise<Deleted> {
    const res = await this.#t.optionalJson({ method: "DELETE", path: path("sessions", id), options: o }, DeletedSchema);
    return res ?? { id, type: "session_deleted" };
  }
}
