import type { RequestOptions } from "../options";
import type { ListParams, Paginator } from "../pagination";
import { AgentDeletedSchema, AgentSchema, type Agent, type AgentCreate, type AgentDeleted, type AgentUpdate } from "../schemas/agent";
import type { Transport } from "../transport";
import { Collection, path } from "./collection";

export class Agents {
  readonly #c: Collection<Agent>;
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
    this.#c = new Collection(t, AgentSchema);
  }

  create(body: AgentCreate, o?: RequestOptions): Promise<Agent> {
    return this.#c.create("/agents", { json: body }, o);
  }

  /** With `version`, the snapshot of that version. */
  get(id: string, q?: { version?: number }, o?: RequestOptions): Promise<Agent> {
    return this.#c.get(path("agents", id), { version: q?.version }, o);
  }

  list(q?: ListParams, o?: RequestOptions): Paginator<Agent> {
    return this.#c.list("/agents", q, o);
  }

  /** PUT with `version` (optimistic concurrency): a stale version raises ConflictError, never retried. */
  update(id: string, body: AgentUpdate, o?: RequestOptions): Promise<Agent> {
    return this.#c.update("PUT", path("agents", id), body, o);
  }

  archive(id: string, o?: RequestOptions): Promise<Agent> {
    return this.#c.archive(path("agents", id), o);
  }

  /** Permanent. Tolerates a 204 as well as the documented `{type, id, deleted}` body. */
  async delete(id: string, o?: RequestOptions): Promise<AgentDeleted> {
    const res = await this.#t.optionalJson({ method: "DELETE", path: path("agents", id), options: o }, AgentDeletedSchema);
    return res ?? { id, type: "agent", deleted: true };
  }

  /** Newest first; cursors here are version numbers. */
  listVersions(id: string, q?: ListParams, o?: RequestOptions): Paginator<Agent> {
    return this.#c.list(path("agents", id, "versions"), q, o);
  }
}
