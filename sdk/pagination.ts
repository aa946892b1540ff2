import { PaginationError } from "./errors";
import { DEFAULT_LIMITS } from "./options";
import type { Query } from "./transport";

export interface Page<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface ListParams {
  limit?: number;
  after_id?: string;
  before_id?: string;
  include_archived?: boolean;
  "created_at[gte]"?: string;
  "created_at[lte]"?: string;
}

export interface PaginatorOptions {
  /** Named in errors, e.g. `GET /agents`. */
  what?: string;
  /** Most pages walked before giving up; default `DEFAULT_LIMITS.maxListPages`. */
  maxPages?: number;
}

/**
 * Lazily walks a cursor-paginated list: forward with `after_id = last_id`, or backward with
 * `before_id = first_id` when the caller started from `before_id`. Nothing is fetched until iterated.
 * A broken server cannot make it walk forever: a cursor seen before, or more than `maxPages`
 * pages, throws `PaginationError`.
 */
export class Paginator<T> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: (query: Query) => Promise<Page<T>>,
    private readonly query: Query = {},
    private readonly opts: PaginatorOptions = {},
  ) {}

  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    const key = this.query.before_id != null ? "before_id" : "after_id";
    const maxPages = this.opts.maxPages ?? DEFAULT_LIMITS.maxListPages;
    const fail = (why: string) => new PaginationError(this.opts.what ? `${this.opts.what}: ${why}` : why);
    const seen = new Set<string>();
    const start = this.query[key];
    if (start != null) seen.add(String(start));
    let query = { ...this.query };
    for (let fetched = 1; ; fetched++) {
      const page = await this.fetchPage(query);
      yield page;
      if (!page.has_more || page.data.length === 0) return;
      const next = key === "before_id" ? page.first_id : page.last_id;
      if (next === null) throw fail(`pagination stalled: has_more is true but the page has no ${key === "before_id" ? "first_id" : "last_id"}`);
      if (seen.has(next)) throw fail(`pagination cursor did not advance: ${key}=${next} was already requested`);
      // Fresh cursors forever (about 2000 pages a second) would hang a refresh.
      if (fetched >= maxPages) throw fail(`still has_more after ${maxPages} pages (maxListPages); the server keeps returning new cursors`);
      seen.add(next);
      query = { ...query, [key]: next };
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}
