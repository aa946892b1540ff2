import { badRequest } from "./errors";
import { parseIsoMicros } from "./ids";

export interface Page<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface ListOptions<T> {
  /** Sort/cursor key; defaults to `id`. Integer keys (agent/skill versions) take integer cursors. */
  key?: (item: T) => string | number;
  /** Hidden unless `include_archived=true`. */
  archived?: (item: T) => boolean;
  createdAt?: (item: T) => string;
  intKeys?: boolean;
  /** Order when `order` is not given: `desc` (newest first) everywhere but session events. */
  defaultOrder?: "asc" | "desc";
}

export function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === "" || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  throw badRequest(`Query parameter '${name}' must be true or false.`, name);
}

function limitOf(query: URLSearchParams): number {
  const raw = query.get("limit");
  if (raw === null) return 20;
  if (!/^-?\d+$/.test(raw.trim())) throw badRequest("limit must be a positive integer.", "limit");
  const n = Number(raw);
  if (n <= 0) throw badRequest("limit must be a positive integer.", "limit");
  return Math.min(n, 100);
}

function cursor(query: URLSearchParams, name: "after" | "before", intKeys: boolean): string | number | undefined {
  const raw = query.get(`${name}_id`) ?? query.get(name) ?? undefined;
  if (raw === undefined || !intKeys) return raw;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest(`${name}_id must be a positive integer version.`, `${name}_id`);
  return Number(raw);
}

/** The older docs' `order=asc|desc` [Q-cli]: honoured, and anything else is refused rather than ignored. */
function orderOf(query: URLSearchParams, fallback: "asc" | "desc"): "asc" | "desc" {
  const raw = query.get("order");
  if (raw === null) return fallback;
  if (raw !== "asc" && raw !== "desc") throw badRequest("order must be asc or desc.", "order");
  return raw;
}

function timeBound(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const t = parseIsoMicros(raw);
  if (Number.isNaN(t)) throw badRequest(`${name} must be an RFC 3339 timestamp.`, name);
  return t;
}

/**
 * Cursor pagination over a whole collection in descending key order (the documented list
 * contract), or ascending with `order=asc`. `after_id` pages on in the list's order, `before_id` back.
 */
export function paginate<T, V = T>(items: T[], query: URLSearchParams, opts: ListOptions<T> = {}, view?: (item: T) => V): Page<V> {
  const key = opts.key ?? ((item: T) => (item as { id: string }).id);
  const limit = limitOf(query);
  const after = cursor(query, "after", !!opts.intKeys);
  const before = cursor(query, "before", !!opts.intKeys);
  if (after !== undefined && before !== undefined) throw badRequest("after_id and before_id cannot be used together.", "before_id");
  const gte = timeBound(query, "created_at[gte]");
  const lte = timeBound(query, "created_at[lte]");
  const includeArchived = flag(query, "include_archived");
  const dir = orderOf(query, opts.defaultOrder ?? "desc") === "desc" ? 1 : -1;
  /** a comes later in the list than b. */
  const later = (a: string | number, b: string | number) => (dir === 1 ? a < b : a > b);

  let rows = items.filter((item) => {
    if (!includeArchived && opts.archived?.(item)) return false;
    const created = opts.createdAt ? parseIsoMicros(opts.createdAt(item)) : undefined;
    if (created !== undefined && gte !== undefined && created < gte) return false;
    if (created !== undefined && lte !== undefined && created > lte) return false;
    return true;
  });
  rows.sort((a, b) => (key(a) < key(b) ? dir : key(a) > key(b) ? -dir : 0));

  let hasMore: boolean;
  if (before !== undefined) {
    rows = rows.filter((r) => later(before, key(r)));
    hasMore = rows.length > limit;
    rows = rows.slice(Math.max(0, rows.length - limit));
  } else {
    if (after !== undefined) rows = rows.filter((r) => later(key(r), after));
    hasMore = rows.length > limit;
    rows = rows.slice(0, limit);
  }
  const data = rows.map((r) => (view ? view(r) : (r as unknown as V)));
  return {
    data,
    first_id: rows.length ? String(key(rows[0])) : null,
    last_id: rows.length ? String(key(rows[rows.length - 1])) : null,
    has_more: hasMore,
  };
}
