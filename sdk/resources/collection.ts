import type { z } from "zod";
import type { RequestOptions } from "../options";
import { Paginator, type ListParams, type Page } from "../pagination";
import { pageSchema } from "../schemas/common";
import type { Body, Query, Transport } from "../transport";

/** Builds `/a/b/c` from segments, escaping ids so a hostile id cannot change the route. */
export function path(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join("/")}`;
}

/** The verbs every Qoder resource shares, bound to one response schema. */
export class Collection<T> {
  readonly #page: z.ZodType<Page<T>>;

  constructor(
    private readonly t: Transport,
    private readonly schema: z.ZodType<T>,
  ) {
    this.#page = pageSchema(schema) as unknown as z.ZodType<Page<T>>;
  }

  /** POST that creates: always carries an Idempotency-Key so it is safe to retry. */
  create(at: string, body: Body, options?: RequestOptions): Promise<T> {
    return this.t.json({ method: "POST", path: at, body, idempotent: true, options }, this.schema);
  }

  get(at: string, query?: Query, options?: RequestOptions): Promise<T> {
    return this.t.json({ method: "GET", path: at, query, options }, this.schema);
  }

  list(at: string, query: object | undefined, options?: RequestOptions): Paginator<T> {
    const fetchPage = (q: Query) => this.t.json({ method: "GET", path: at, query: q, options }, this.#page);
    return new Paginator(fetchPage, { ...query } as Query, { what: `GET ${at}`, maxPages: this.t.limits.maxListPages });
  }

  /** Updates are sent as given; they carry a key (and so are retried) only if the caller passes one. */
  update(method: "PUT" | "POST", at: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.t.json({ method, path: at, body: { json: body }, options }, this.schema);
  }

  /** Archive is a body-less POST; a key makes a replay return the first answer instead of a 409. */
  archive(at: string, options?: RequestOptions): Promise<T> {
    return this.t.json({ method: "POST", path: `${at}/archive`, idempotent: true, options }, this.schema);
  }

  /** Deletes answer 204 or 200 with a body; either is success. */
  delete(at: string, options?: RequestOptions): Promise<void> {
    return this.t.void({ method: "DELETE", path: at, options });
  }
}

/** create/get/list/archive/delete on a top-level collection such as `/vaults`. */
export class TopLevelResource<T, Create, Q extends object = ListParams> {
  protected readonly c: Collection<T>;

  constructor(
    t: Transport,
    protected readonly base: string,
    schema: z.ZodType<T>,
  ) {
    this.c = new Collection(t, schema);
  }

  create(body: Create, o?: RequestOptions): Promise<T> {
    return this.c.create(path(this.base), { json: body }, o);
  }

  get(id: string, o?: RequestOptions): Promise<T> {
    return this.c.get(path(this.base, id), undefined, o);
  }

  list(q?: Q, o?: RequestOptions): Paginator<T> {
    return this.c.list(path(this.base), q, o);
  }

  archive(id: string, o?: RequestOptions): Promise<T> {
    return this.c.archive(path(this.base, id), o);
  }

  delete(id: string, o?: RequestOptions): Promise<void> {
    return this.c.delete(path(this.base, id), o);
  }
}

/** create/get/list/delete on a collection under a parent, such as `/vaults/{id}/credentials`. */
export class NestedResource<T, Create, Q extends object = ListParams> {
  protected readonly c: Collection<T>;

  constructor(
    t: Transport,
    private readonly parent: string,
    private readonly child: string,
    schema: z.ZodType<T>,
  ) {
    this.c = new Collection(t, schema);
  }

  protected at(parentId: string, id?: string): string {
    return id === undefined ? path(this.parent, parentId, this.child) : path(this.parent, parentId, this.child, id);
  }

  create(parentId: string, body: Create, o?: RequestOptions): Promise<T> {
    return this.c.create(this.at(parentId), { json: body }, o);
  }

  get(parentId: string, id: string, o?: RequestOptions): Promise<T> {
    return this.c.get(this.at(parentId, id), undefined, o);
  }

  list(parentId: string, q?: Q, o?: RequestOptions): Paginator<T> {
    return this.c.list(this.at(parentId), q, o);
  }

  delete(parentId: string, id: string, o?: RequestOptions): Promise<void> {
    return this.c.delete(this.at(parentId, id), o);
  }
}
